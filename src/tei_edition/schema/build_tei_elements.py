#!/usr/bin/env python3
"""Write ``tei-elements.json``: every TEI P5 element name, with the TEI module that defines it.

``validate`` uses it to tell an element that TEI has but the tei-edition customisation leaves
out (``<app>``: module textcrit) from a misspelt name (``<persname>``), which alone gets a "did
you mean". Users have no ``tei_all.rng``, so the names are derived once from TEI P5 4.12.0's
``tei_all.rng`` and shipped with the package; a test checks that the file is up to date.

``tei_all.rng`` does not name modules, but it defines the elements module by module, in the
order of ``MODULES`` below, and documents each with references to sections of the Guidelines
("[13.1.1. The Apparatus Entry]"), mostly in the chapter of its own module. Each element is
given the module of a split of the definitions into consecutive runs, one per module in that
order, that agrees with the most elements' references (an element referring to another
chapter as well, or to none, takes its neighbours' module). For the elements the
customisation has, the module its ODD's ``moduleRef`` names is kept.

Usage: ``python src/tei_edition/schema/build_tei_elements.py [--tei-all PATH] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent.parent
DEFAULT_TEI_ALL = REPO / "tests" / "data" / "tei_all.rng"
DEFAULT_OUTPUT = HERE / "tei-elements.json"
ODD = HERE / "tei-edition.odd"

R = "{http://relaxng.org/ns/structure/1.0}"
DOC = "{http://relaxng.org/ns/compatibility/annotations/1.0}documentation"
T = "{http://www.tei-c.org/ns/1.0}"

# The modules in the order tei_all.rng defines their elements, with the chapter of the TEI P5
# 4.12.0 Guidelines that describes each.
MODULES: list[tuple[str, int]] = [
    ("core", 3),            # Elements Available in All TEI Documents
    ("header", 2),          # The TEI Header
    ("textstructure", 4),   # Default Text Structure
    ("gaiji", 5),           # Characters, Glyphs, and Writing Modes
    ("verse", 6),           # Verse
    ("drama", 7),           # Performance Texts
    ("spoken", 8),          # Transcriptions of Speech
    ("cmc", 9),             # Computer-mediated Communication
    ("analysis", 18),       # Simple Analytic Mechanisms
    ("dictionaries", 10),   # Dictionaries
    ("msdescription", 11),  # Manuscript Description
    ("transcr", 12),        # Representation of Primary Sources
    ("textcrit", 13),       # Critical Apparatus
    ("namesdates", 14),     # Names, Dates, People, and Places
    ("figures", 15),        # Tables, Formulae, Graphics, and Notated Music
    ("corpus", 16),         # Language Corpora
    ("linking", 17),        # Linking, Segmentation, and Alignment
    ("iso-fs", 19),         # Feature Structures
    ("nets", 20),           # Graphs, Networks, and Trees
    ("certainty", 22),      # Certainty, Precision, and Responsibility
    ("tagdocs", 23),        # Documentation Elements
]

_REFERENCE = re.compile(r"(?:^|\s)(\d+)\.(?:\d+\.)*\s")


def element_chapters(tei_all: Path) -> list[tuple[str, set[int]]]:
    """Each element name of ``tei_all`` in the order defined, with the Guidelines chapters its
    documentation refers to."""
    tree = etree.parse(str(tei_all))
    found = []
    for element in tree.getroot().iter(f"{R}element"):
        name = element.get("name")
        if not name or element.getparent().tag != f"{R}define":
            continue
        doc = element.find(DOC)
        text = "".join(doc.itertext()) if doc is not None else ""
        refs = re.search(r"\[([^\[\]]*)\]\s*$", text)
        chapters = {int(c) for c in _REFERENCE.findall(refs.group(1))} if refs else set()
        found.append((name, chapters))
    return found


def assign_modules(elements: list[tuple[str, set[int]]]) -> dict[str, str]:
    """The module of each element: the split into consecutive runs, one per module in
    ``MODULES`` order (a module may have none), that the fewest references contradict; an
    element without references goes with the run that follows it when that costs nothing."""
    n, k = len(elements), len(MODULES)
    misses = [[0 if not chapters or chapter in chapters else 1 for _, chapter in MODULES]
              for _, chapters in elements]
    # best[i][m]: fewest misses for elements i.. when element i is in module m or a later one.
    inf = n + 1
    best = [[inf] * (k + 1) for _ in range(n + 1)]
    for m in range(k + 1):
        best[n][m] = 0
    for i in range(n - 1, -1, -1):
        for m in range(k - 1, -1, -1):
            best[i][m] = min(best[i][m + 1], misses[i][m] + best[i + 1][m])
    modules: dict[str, str] = {}
    m = 0
    for i, (name, _) in enumerate(elements):
        while best[i][m + 1] <= misses[i][m] + best[i + 1][m] and best[i][m + 1] < inf:
            m += 1  # a later module does as well: an element between two runs goes forward
        modules[name] = MODULES[m][0]
    return modules


def odd_modules(odd: Path) -> dict[str, str]:
    """The module the customisation's ODD names for each element it includes."""
    tree = etree.parse(str(odd))
    return {name: ref.get("key", "") for ref in tree.iter(f"{T}moduleRef")
            for name in (ref.get("include") or "").split()}


def build(tei_all: Path) -> tuple[str, list[str]]:
    """The text of ``tei-elements.json`` for this ``tei_all.rng``, and notes on the elements
    whose module the ODD names otherwise (it is followed: TEI moved a few, ``typeNote`` and
    ``handNotes`` to header, whose definitions stay with the chapter that documents them)."""
    modules = assign_modules(element_chapters(tei_all))
    notes = []
    for name, key in sorted(odd_modules(ODD).items()):
        if name not in modules:
            raise SystemExit(f"{ODD.name} includes <{name}>, which {tei_all} does not define")
        if modules[name] != key:
            notes.append(f"<{name}>: module {key}, as the ODD says ({tei_all.name}'s order "
                         f"puts it in {modules[name]})")
            modules[name] = key
    data = {
        "about": "TEI P5 element names and their modules, derived from tei_all.rng by "
                 "src/tei_edition/schema/build_tei_elements.py",
        "elements": dict(sorted(modules.items())),
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n", notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tei-all", type=Path, default=DEFAULT_TEI_ALL)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    text, notes = build(args.tei_all)
    args.output.write_text(text, encoding="utf-8")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

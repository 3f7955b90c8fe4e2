#!/usr/bin/env python3
"""Benchmark ``tei-edition validate`` on a synthetic corpus of hundreds of documents.

The corpus is the edition (``tei/``, or the passing test fixtures when ``tei/`` is empty) plus
copies of each of its texts: every xml:id of a copy gets a suffix (``-c17``) and every pointer
into the copy itself is renamed with it, while pointers into the registers stay as they were,
so references keep resolving and the copies check exactly like the originals. The registers are
shared, as in a real edition.

Reports, for each corpus size, the whole-process time of ``tei-edition validate`` (best of
two: start-up, loading, compiling the schema, checking) and the in-process time of
``validate_paths`` with the schema already compiled (best of three), as documents and MB per
second. Run it on a quiet machine: other jobs on the same cores make the figures noisy.

Usage: ``python benchmarks/bench_validate.py [--sizes 100 500] [--source DIR]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
POINTERS = ("ref", "target", "corresp", "sameAs", "source", "resp", "datingMethod", "who",
            "calendar", "scheme")

sys.path.insert(0, str(REPO / "src"))
from tei_edition.pointers import is_register  # noqa: E402
from tei_edition.validate import validate_paths  # noqa: E402


def default_source() -> Path:
    tei = REPO / "tei"
    if any(tei.glob("*.xml")):
        return tei
    return REPO / "tests" / "fixtures" / "validate" / "pass"


def renamed_copy(tree: etree._ElementTree, suffix: str) -> bytes:
    """The document with every xml:id suffixed and its pointers into itself renamed."""
    copy = etree.ElementTree(etree.fromstring(etree.tostring(tree)))
    root = copy.getroot()
    ids = set()
    for el in root.iter():
        if isinstance(el.tag, str) and el.get(XML_ID):
            ids.add(el.get(XML_ID))
            el.set(XML_ID, el.get(XML_ID) + suffix)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name in POINTERS:
            value = el.get(name)
            if value:
                el.set(name, " ".join(
                    f"{token}{suffix}" if token.startswith("#") and token[1:] in ids else token
                    for token in value.split()
                ))
    return etree.tostring(copy, xml_declaration=True, encoding="UTF-8")


def build_corpus(source: Path, target: Path, documents: int) -> tuple[int, int]:
    """Write a corpus of about ``documents`` files into ``target``; return (files, bytes)."""
    files = sorted(source.glob("*.xml"))
    texts = []
    for path in files:
        shutil.copy(path, target / path.name)
        tree = etree.parse(str(path))
        if not is_register(tree.getroot()):
            texts.append((path, tree))
    n = len(files)
    copy_number = 0
    while n < documents and texts:
        for path, tree in texts:
            if n >= documents:
                break
            copy_number += 1
            name = f"{path.stem}-c{copy_number}.xml"
            (target / name).write_bytes(renamed_copy(tree, f"-c{copy_number}"))
            n += 1
    size = sum(p.stat().st_size for p in target.glob("*.xml"))
    return n, size


def whole_process(corpus: Path, repeat: int = 2) -> tuple[float, str]:
    """Best wall-clock time of ``tei-edition validate`` over ``repeat`` runs."""
    exe = shutil.which("tei-edition")
    command = [exe] if exe else [sys.executable, "-m", "tei_edition.cli"]
    best, summary = float("inf"), ""
    for _ in range(repeat):
        started = time.perf_counter()
        result = subprocess.run([*command, "validate", str(corpus)], capture_output=True,
                                text=True, check=False)
        best = min(best, time.perf_counter() - started)
        summary = result.stderr.strip().splitlines()[-1] if result.stderr else ""
    return best, summary


def in_process(corpus: Path) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        validate_paths([corpus])
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--source", type=Path, default=default_source())
    args = parser.parse_args(argv)
    print(f"source: {args.source}")
    print("| documents | MB | whole process (s) | docs/s | MB/s | in-process (s) | docs/s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp)
            files, size_bytes = build_corpus(args.source, corpus, size)
            seconds, summary = whole_process(corpus)
            inside = in_process(corpus)
            mb = size_bytes / 1e6
            print(f"| {files} | {mb:.1f} | {seconds:.2f} | {files / seconds:.0f} | "
                  f"{mb / seconds:.1f} | {inside:.2f} | {files / inside:.0f} |")
            print(f"  ({summary})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

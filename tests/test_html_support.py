"""Helpers shared by the web-edition tests (site building, reading a page, walking links),
with tests of the helpers themselves so that a broken helper cannot make a check pass."""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lhtml

from tei_edition.render import RenderOptions, render_paths

HERE = Path(__file__).parent
RENDER_FIXTURES = HERE / "fixtures" / "render"
FIXTURE_EDITION = RENDER_FIXTURES / "edition"
REAL_EDITION = HERE.parent / "tei"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes (to compare two builds)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def real_edition_ready() -> bool:
    """True when tei/ holds at least one text with a <text> (the encoders are at work)."""
    return REAL_EDITION.is_dir() and any(
        b"<body" in p.read_bytes() for p in REAL_EDITION.glob("*.xml")
        if p.stem not in {"persons", "places", "orgs", "works", "edition"}
    )


def build(paths: list[Path], out: Path, validate: bool = False) -> Path:
    """Render the web edition of ``paths`` into ``out``; return the site folder."""
    render_paths(paths, RenderOptions(out_dir=out, formats=["html"], validate=validate))
    return out / "html"


def _has_class(el, name: str) -> bool:
    return name in (el.get("class") or "").split()


def page_reading(page: Path) -> str:
    """The source's reading as the page shows it: the article's text without the edition's
    additions (class "ed"), with note calls and numbers read as "[n]" (data-reading) and
    notes the source prints in place read at their call (data-read-inline)."""
    doc = lhtml.fromstring(page.read_bytes())
    article = doc.find(".//article")
    assert article is not None, f"{page}: no <article>"
    article = copy.deepcopy(article)
    # Calls and numbers first, everywhere (inside notes too: a note may hold a note).
    for el in list(article.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None and el is not article:
            continue
        if _has_class(el, "ed"):
            _drop(el)
        elif el.get("data-reading") is not None and el.get("data-read-inline") is None:
            _replace_text(el, el.get("data-reading"))
    inline_notes = {}
    for aside in article.xpath(".//aside[@data-read-inline]"):
        body = aside.find(".//div")
        inline_notes[aside.get("id")] = body
        aside.getparent().remove(aside)

    def read_inline(container, seen: frozenset[str]) -> None:
        # A call of a note printed in place is read as the note's text, its own such calls
        # read in turn.
        for call in container.xpath(".//*[@data-read-inline]"):
            target = call.get("href", "").lstrip("#")
            body = inline_notes.get(target)
            if body is not None and target not in seen:
                read_inline(body, seen | {target})
            _replace_text(call, _text(body) if body is not None and target not in seen else "")

    read_inline(article, frozenset())
    return _text(article)


def _text(el) -> str:
    out = []

    def walk(node):
        if _has_class(node, "ed"):
            return
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                out.append(child.tail)

    walk(el)
    return "".join(out)


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _replace_text(el, text: str) -> None:
    for child in list(el):
        el.remove(child)
    el.text = text


def walk_links(site: Path) -> list[str]:
    """Every href/src of every page: problems (missing file, missing anchor, unsafe URL)."""
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            tree = lhtml.fromstring(path.read_bytes())
            ids[path] = {e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
        return ids[path]

    for page in sorted(site.rglob("*.html")):
        tree = lhtml.fromstring(page.read_bytes())
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("href", "src"):
                url = el.get(attr)
                if url is None:
                    continue
                where = f"{page.relative_to(site)}: <{el.tag} {attr}={url!r}>"
                parts = urlsplit(url)
                scheme = parts.scheme.lower()
                if scheme in ("http", "https", "mailto"):
                    if el.tag == "a" and "noopener" not in (el.get("rel") or ""):
                        problems.append(f"{where}: outside link without rel=noopener")
                    if attr == "src" or el.tag == "link":
                        problems.append(f"{where}: the page loads something from outside the site")
                    continue
                if scheme:
                    problems.append(f"{where}: unsafe or unknown URL scheme")
                    continue
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                if not target.exists():
                    problems.append(f"{where}: no such file")
                    continue
                if (parts.fragment and target.suffix == ".html"
                        and unquote(parts.fragment) not in ids_of(target)):
                    problems.append(f"{where}: no element with id {parts.fragment!r}")
    return problems


def test_page_reading_drops_additions_and_reads_calls(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        '<html><body><article><h1 class="ed">Title</h1><p>Text<a data-reading="[1]"><sup>1</sup>'
        '</a> <span class="ed">added</span>kept <span class="reading-src">sic</span></p>'
        '<aside><a data-reading="[1]">1</a><div>Note.</div></aside></article></body></html>')
    assert re.sub(r"\s+", "", page_reading(page)) == "Text[1]keptsic[1]Note."


def test_walk_links_reports_what_is_broken(tmp_path):
    (tmp_path / "a.html").write_text(
        '<html><body><p id="x"></p><a href="b.html">b</a><a href="a.html#nope">n</a>'
        '<a href="#x">x</a><a href="javascript:alert(1)">j</a>'
        '<a href="https://example.org/">e</a><img src="https://example.org/i.png"></body></html>')
    problems = walk_links(tmp_path)
    assert len(problems) == 5, problems

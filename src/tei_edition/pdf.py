"""The print edition: one PDF of the whole edition and one PDF per text, typeset by WeasyPrint.

For each book (see ``print_model.plan_books``) the print stylesheet ``xslt/print.xsl``, compiled
once per run, turns the prepared book document and its indexes into print HTML, and WeasyPrint
lays it out with ``assets/print.css`` (CSS Paged Media: running heads, footnotes, page numbers
by ``target-counter``). A book is laid out twice when it has an index: the first layout tells on
which page each mention fell, so that the index can merge the mentions of one entry on one page
("12, 15" rather than "12, 12, 15"); the pages of the texts do not depend on the index, which
comes after them.

WeasyPrint fetches nothing: the HTML links only to its own anchors, the stylesheet is handed
over as a string, and a URL fetcher that refuses every URL keeps a hostile document from
making it read a file or the network.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import BuildError, UsageError
from .model import EditionModel, format_citation, text_of, work_parts
from .print_model import TEI_NS, Book, build_book, build_indexes, plan_books
from .resources import assets_dir, xslt_dir

Progress = Callable[[str], None] | None

# CSS page sizes of the --paper choices.
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
UNHANDLED_CLASS = "te-unhandled"


@dataclass
class PrintedBook:
    """One PDF written: where, how many pages, how long it took."""

    path: Path
    pages: int
    seconds: float


def render_pdf(
    model: EditionModel, target_dir: Path, paper: str = "a4", progress: Progress = None
) -> list[Path]:
    """Write the print edition into ``target_dir``: the whole edition as one PDF, then one
    PDF per text (named after the text's id, e.g. ``leblanc.pdf``). Returns their paths.

    Raises ``UsageError`` for an unknown paper size and ``BuildError`` when there is nothing
    to print or the stylesheet or the typesetter fails.
    """
    return [book.path for book in print_books(model, target_dir, paper, progress)]


def print_books(
    model: EditionModel, target_dir: Path, paper: str = "a4", progress: Progress = None
) -> list[PrintedBook]:
    """``render_pdf`` with the page count and time of each book (for reports and benchmarks)."""
    if paper not in PAPER_SIZES:
        raise UsageError(f"unknown paper size '{paper}': use one of {', '.join(PAPER_SIZES)}")
    books = plan_books(model)
    if not books:
        raise BuildError("nothing to print: no TEI document with a <text> was given")
    target_dir.mkdir(parents=True, exist_ok=True)
    printer = Printer(paper)
    done: list[PrintedBook] = []
    for book in books:
        start = time.perf_counter()
        data, pages = printer.typeset(model, book)
        path = target_dir / book.filename
        path.write_bytes(data)
        printed = PrintedBook(path, pages, time.perf_counter() - start)
        done.append(printed)
        if progress:
            progress(f"pdf: {path.name}: {pages} pages ({printed.seconds:.1f} s)")
    if progress:
        for name, count in sorted(printer.unhandled.items()):
            progress(
                f"warning: pdf: no print rule for <{name}> ({count}×): printed as plain text"
            )
    return done


class _NoFetch:
    """A WeasyPrint URL fetcher that refuses everything (see the module docstring)."""

    def fetch(self, url: str, headers=None):  # noqa: ANN001 - WeasyPrint's signature
        raise ValueError(f"the print edition loads no outside resource ({url[:80]})")

    def __call__(self, url: str, *args, **kwargs):
        return self.fetch(url)


class Printer:
    """The stylesheet (compiled once) and the CSS, shared by every book of a run."""

    def __init__(self, paper: str) -> None:
        from saxonche import PySaxonProcessor, PySaxonApiError  # heavy: imported when needed
        from weasyprint import CSS

        self._processor = PySaxonProcessor(license=False)
        stylesheet = xslt_dir() / "print.xsl"
        compiler = self._processor.new_xslt30_processor()
        try:
            self._xslt = compiler.compile_stylesheet(stylesheet_file=str(stylesheet))
        except PySaxonApiError as exc:
            raise BuildError(f"{stylesheet}: the print stylesheet does not compile: {exc}") from exc
        self._fetcher = _NoFetch()
        css_text = (assets_dir() / "print.css").read_text(encoding="utf-8")
        self._css = [
            CSS(string=css_text, url_fetcher=self._fetcher),
            CSS(string=f"@page {{ size: {PAPER_SIZES[paper]}; }}", url_fetcher=self._fetcher),
        ]
        self.unhandled: dict[str, int] = {}

    # -- one book

    def html(self, model: EditionModel, book: Book, page_of: dict[str, int] | None = None,
             prepared: tuple | None = None) -> tuple[str, tuple]:
        """The print HTML of a book (and the prepared inputs, to reuse for a second layout)."""
        if prepared is None:
            root, mentions = build_book(model, book)
            _describe_sources(root, book, model)
            prepared = (self._node(root), mentions)
        book_node, mentions = prepared
        indexes = build_indexes(model, book, mentions, page_of)
        self._xslt.clear_parameters()
        self._xslt.set_parameter("indexes", self._node(indexes))
        try:
            html = self._xslt.transform_to_string(xdm_node=book_node)
        except Exception as exc:  # saxonche raises PySaxonApiError with the XSLT message
            raise BuildError(f"{book.filename}: the print stylesheet failed: {exc}") from exc
        if html is None:
            raise BuildError(f"{book.filename}: the print stylesheet produced nothing")
        return html, prepared

    def typeset(self, model: EditionModel, book: Book) -> tuple[bytes, int]:
        """Lay out a book and return its PDF and page count."""
        html, prepared = self.html(model, book)
        document = self._layout(html, book)
        page_of = {
            anchor: number for number, page in enumerate(document.pages)
            for anchor in page.anchors
        }
        _, mentions = prepared
        if _has_duplicates_on_a_page(mentions, page_of):
            html, _ = self.html(model, book, page_of, prepared)
            document = self._layout(html, book)
        self._count_unhandled(html)
        try:
            data = document.write_pdf(pdf_variant="pdf/ua-1")
        except Exception:  # noqa: BLE001 - PDF/UA is a bonus: fall back to a tagged PDF
            data = document.write_pdf(pdf_tags=True)
        return data, len(document.pages)

    def _layout(self, html: str, book: Book):
        from weasyprint import HTML

        try:
            return HTML(string=html, url_fetcher=self._fetcher, base_url=None).render(
                stylesheets=self._css,
            )
        except Exception as exc:  # noqa: BLE001 - a typesetter failure is a build error
            raise BuildError(f"{book.filename}: WeasyPrint could not lay out the book: {exc}") from exc

    def _node(self, element: etree._Element):
        text = etree.tostring(element, encoding="unicode")
        return self._processor.parse_xml(xml_text=text)

    def _count_unhandled(self, html: str) -> None:
        start = 0
        while True:
            found = html.find("data-tei-element=\"", start)
            if found < 0:
                break
            end = html.find('"', found + 18)
            name = html[found + 18:end]
            self.unhandled[name] = self.unhandled.get(name, 0) + 1
            start = end


def _has_duplicates_on_a_page(mentions: dict[str, dict[str, list[str]]], page_of: dict[str, int]) -> bool:
    for by_doc in mentions.values():
        pages = [page_of.get(mid) for mids in by_doc.values() for mid in mids]
        pages = [p for p in pages if p is not None]
        if len(pages) != len(set(pages)):
            return True
    return False


def _describe_sources(root: etree._Element, book: Book, model: EditionModel) -> None:
    """Add each text's source (from its sourceDesc) and the book's metadata to the book."""
    t = f"{{{TEI_NS}}}"
    for item in root.iter("{urn:tei-edition}document"):
        tei = item.find(f"{t}TEI")
        desc = tei.find(f"{t}teiHeader/{t}fileDesc/{t}sourceDesc") if tei is not None else None
        source = ""
        if desc is not None:
            bibl = next((el for el in desc if el.tag in (f"{t}bibl", f"{t}biblStruct",
                                                         f"{t}biblFull")), None)
            source = format_citation(work_parts(bibl)) if bibl is not None else text_of(desc)
        item.set("source", source)
    root.set("author", "; ".join(book.authors))
    root.set("subject", book.subject)
    root.set("keywords", ", ".join(d.title for d in book.texts))
    if book.kind == "text" and model.front:
        root.set("part-of", model.front[0].title)

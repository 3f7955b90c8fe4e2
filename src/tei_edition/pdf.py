"""The print edition: one PDF of the whole edition and one PDF per text, typeset by WeasyPrint.

For each book (see ``print_model.plan_books``) the print stylesheet ``xslt/print.xsl``, compiled
once per run, turns the prepared book document and its indexes into print HTML, and WeasyPrint
lays it out with ``assets/print.css`` (CSS Paged Media: running heads, footnotes, page
numbers). A book is laid out in pieces put together at the end (``Printer.typeset``): each
part of the main matter on its own, its page numbers then known to the indexes and the
contents. WeasyPrint's ``target-counter`` would make it lay pages out again and again, and a
second layout of the whole book to merge an entry's mentions on one page ("12, 15" rather
than "12, 12, 15") would double the time. A build cache keeps the books and each part's page
breaks from one render to the next.

WeasyPrint fetches nothing: the HTML links only to its own anchors, the stylesheet is handed
over as a string, and a URL fetcher that refuses every URL keeps a hostile document from
making it read a file or the network.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from lxml import etree

from . import marks as mark_pages
from .cache import BuildCache, digest, tree_digest
from .errors import BuildError, UsageError
from .marks import Mark
from .model import EditionModel, format_citation, text_of, work_parts
from .print_model import (
    TE_NS,
    TEI_NS,
    Book,
    block_ids,
    build_book,
    build_indexes,
    footnote_pairs,
    plan_books,
)
from .resources import assets_dir, xslt_dir
from .typesetter import (
    import_weasyprint,
    page_references_built_once,
    patch_available,
    print_layout,
    text_layer_kept,
)

Progress = Callable[[str], None] | None

# CSS page sizes of the --paper choices.
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
# How many times a part of a book is laid out again to bring a footnote that WeasyPrint
# moved back to its call's page (see _page_breaks_for).
MAX_FOOTNOTE_REMEDIES = 3
# For a WeasyPrint typesetter.py cannot change (see Printer).
LOOSE_NOTE_PARAGRAPHS = ".has-fn { orphans: 1; widows: 1; }"
# A long layout says how far it has come every so many pages.
PROGRESS_PAGES = 50


@dataclass
class PrintedBook:
    """One PDF written: where, how many pages, how long it took."""

    path: Path
    pages: int
    seconds: float
    reused: bool = False  # taken from the build cache, not laid out


def render_pdf(
    model: EditionModel, target_dir: Path, paper: str = "a4", progress: Progress = None,
    jobs: int = 1, cache: BuildCache | None = None,
) -> list[Path]:
    """Write the print edition into ``target_dir``: the whole edition as one PDF, then one
    PDF per text (named after the text's id, e.g. ``leblanc.pdf``). Returns their paths.

    Raises ``UsageError`` for an unknown paper size and ``BuildError`` when there is nothing
    to print or the stylesheet or the typesetter fails.
    """
    return [book.path for book in print_books(model, target_dir, paper, progress, jobs, cache)]


def print_books(
    model: EditionModel, target_dir: Path, paper: str = "a4", progress: Progress = None,
    jobs: int = 1, cache: BuildCache | None = None,
) -> list[PrintedBook]:
    """``render_pdf`` with the page count and time of each book (for reports and benchmarks).

    With ``jobs`` > 1 the books are typeset at the same time in forked processes (the
    edition's book in one, the texts' books in the others); the PDFs are the same. With a
    build ``cache``, a book made from the same inputs as in the last render is copied from
    it, and the cache then holds this render's books only.
    """
    from . import parallel

    if paper not in PAPER_SIZES:
        raise UsageError(f"unknown paper size '{paper}': use one of {', '.join(PAPER_SIZES)}")
    books = plan_books(model)
    if not books:
        raise BuildError("nothing to print: no TEI document with a <text> was given")
    target_dir.mkdir(parents=True, exist_ok=True)
    printers: list[Printer] = []

    def setup() -> None:
        printers.append(Printer(paper, cache))
        printers[-1].progress = progress

    def typeset(index: int) -> tuple[PrintedBook, list[str], dict[str, int], set[str]]:
        printer = printers[-1]
        warned, unhandled = len(printer.warnings), dict(printer.unhandled)
        start = time.perf_counter()
        path = target_dir / books[index].filename
        pages, reused = printer.typeset(model, books[index], path)
        printed = PrintedBook(path, pages, time.perf_counter() - start, reused)
        return (printed, printer.warnings[warned:], _added(unhandled, printer.unhandled),
                set(printer.used_keys))

    order = list(range(len(books)))
    if jobs > 1 and len(books) > 2 and books[0].kind == "edition":
        # The edition's book lays its parts out in page order, in one process; the texts'
        # books, which print the same texts, are taken last text first by the others, so
        # that each text's page breaks, where a WeasyPrint typesetter.py cannot change needs
        # some, are found once, by whichever book reaches it first, while the other waits
        # for them (BuildCache.claim).
        order = [0, *range(len(books) - 1, 0, -1)]
    done: dict[int, PrintedBook] = {}
    warnings: list[str] = []
    unhandled: dict[str, int] = {}
    used_keys: set[str] = set()
    # Imported once here rather than in each worker (half a second each: cffi parses the C
    # declarations of Pango and its kin); it loads libraries and starts no thread.
    import_weasyprint()
    results = parallel.imap(typeset, order, jobs, setup=setup, saxon=True)
    for index, (printed, book_warnings, book_unhandled, book_keys) in zip(
            order, results, strict=True):
        done[index] = printed
        used_keys |= book_keys
        warnings.extend(book_warnings)
        for name, count in book_unhandled.items():
            unhandled[name] = unhandled.get(name, 0) + count
        if progress:
            how = "from the build cache" if printed.reused else f"{printed.seconds:.1f} s"
            progress(f"pdf: {printed.path.name}: {printed.pages} pages ({how})")
    if cache is not None and cache.usable:
        cache.prune(used_keys)
    if progress:
        for warning in warnings:
            progress(f"warning: pdf: {warning}")
        for name, count in sorted(unhandled.items()):
            progress(
                f"warning: pdf: no print rule for <{name}> ({count}×): printed as plain text"
            )
    return [done[index] for index in range(len(books))]


class _NoFetch:
    """A WeasyPrint URL fetcher that refuses everything (see the module docstring)."""

    def fetch(self, url: str, headers=None):  # noqa: ANN001 - WeasyPrint's signature
        raise ValueError(f"the print edition loads no outside resource ({url[:80]})")

    def __call__(self, url: str, *args, **kwargs):
        return self.fetch(url)


class Printer:
    """The stylesheet (compiled once) and the CSS, shared by every book of a run, and the
    build cache (``cache.BuildCache``, optional) the books are kept in."""

    def __init__(self, paper: str, cache: BuildCache | None = None) -> None:
        from saxonche import PySaxonApiError, PySaxonProcessor  # heavy: imported when needed
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from . import parallel
        from .transform import harden

        parallel.note_saxon_started()
        self._processor = harden(PySaxonProcessor(license=False))
        stylesheet = xslt_dir() / "print.xsl"
        compiler = self._processor.new_xslt30_processor()
        try:
            self._xslt = compiler.compile_stylesheet(stylesheet_file=str(stylesheet))
        except PySaxonApiError as exc:
            raise BuildError(f"{stylesheet}: the print stylesheet does not compile: {exc}") from exc
        self._fetcher = _NoFetch()
        # One font configuration for every layout of the run: each new one loads Fontconfig's
        # configuration again and starts Pango's font and shaping caches empty.
        self._fonts = FontConfiguration()
        css_text = (assets_dir() / "print.css").read_text(encoding="utf-8")
        self._css = [
            CSS(string=css_text, url_fetcher=self._fetcher),
            CSS(string=f"@page {{ size: {PAPER_SIZES[paper]}; }}", url_fetcher=self._fetcher),
        ]
        self._notes_kept = patch_available()
        if not self._notes_kept:
            # Without typesetter's change WeasyPrint keeps a call and its note on one page
            # more reliably when it may break the paragraph at any line.
            css_text += LOOSE_NOTE_PARAGRAPHS
            self._css.append(CSS(string=LOOSE_NOTE_PARAGRAPHS, url_fetcher=self._fetcher))
        self.unhandled: dict[str, int] = {}
        self.warnings: list[str] = []
        self.cache = cache if cache is not None and cache.usable else None
        self.used_keys: set[str] = set()  # the cache items this run made or used
        self._book_parts: set[str] = set()  # the part keys of the book being laid out
        self.progress: Progress = None  # told every PROGRESS_PAGES pages of a long layout
        self._css_text, self._paper, self._cache_salt = css_text, paper, ""

    # -- one book

    def typeset(self, model: EditionModel, book: Book, dest: Path) -> tuple[int, bool]:
        """Lay out a book, write its PDF to ``dest`` and return its page count, and whether
        it was taken from the build cache instead.

        The book is laid out in pieces that are then put together (WeasyPrint resolves links
        and bookmarks across them): the opening (title page, contents with placeholder
        numbers); each part of the main matter (a front-matter division, a text), numbered on
        from the pages before it, which tells on which page every mention fell; the back
        matter (the indexes, with those page numbers as text, the mentions of one entry on
        one page merged); and last the opening again, now with every page number known. The
        contents take the same number of pages with true numbers as with placeholders; should
        they not, the book is laid out once more in one piece, with target-counter doing the
        numbering. A part is a piece of its own because every part starts a page: a footnote
        that WeasyPrint moved away from its call makes only its own part be laid out again
        (see ``_lay_out_part``).

        With a build cache, a book whose inputs are those of the last render is not laid out
        at all, and a part laid out before starts with the page breaks it needed then.
        """
        root, mentions = build_book(model, book)
        _describe_sources(root, book, model)
        book_key = self._book_key(root, model, book, mentions)
        if book_key is not None:
            pages = self._cached_book(book_key, dest)
            if pages is not None:
                return pages, True
        warned, unhandled = len(self.warnings), dict(self.unhandled)
        self._book_parts = set()
        book_node = self._node(root)
        pairs = footnote_pairs(root)
        blocks = block_ids(root)
        # Every part's HTML first: the contents are read from it (print.xsl's $parts).
        first = self._html(book_node, model, book, mentions, "part", piece=1)
        parts_html = [first] + [
            self._html(book_node, model, book, mentions, "part", piece=number)
            for number in range(2, _part_count(first) + 1)] if _part_count(first) else []
        parts = self._parts_node(parts_html)
        opening_html = self._html(book_node, model, book, mentions, "opening", parts=parts)
        opening = self._layout(opening_html, book)
        pages = list(opening.pages)
        for number, html in enumerate(parts_html, start=1):
            pages += self._lay_out_part(book_node, model, book, mentions, number, html,
                                        len(pages) + 1, pairs, blocks)
        page_of = _anchor_pages(pages)
        indexes = build_indexes(model, book, mentions, page_of)
        back_pages: list = []
        if len(indexes):
            start = len(pages) + 1
            spacer = start % 2 == 0  # an even page is a left page: keep it so
            back = self._layout(
                self._html(book_node, model, book, mentions, "back", page_of),
                book, _numbered_from(start, spacer),
            )
            back_pages = back.pages[1:] if spacer else back.pages
            page_of.update(_anchor_pages(back_pages, offset=len(pages)))
        toc = self._layout(
            self._html(book_node, model, book, mentions, "toc", page_of, parts=parts), book)
        if len(toc.pages) == len(opening.pages):
            document = opening.copy(toc.pages + pages[len(opening.pages):] + back_pages)
        else:  # pragma: no cover - a contents page that grew with its numbers
            document = self._layout(self._html(book_node, model, book, mentions, "all"), book)
        data = self._write(document, book)
        dest.write_bytes(data)
        if book_key is not None:
            self.cache.store_file(book_key, dest, {
                "pages": len(document.pages),
                "warnings": self.warnings[warned:],
                "unhandled": _added(unhandled, self.unhandled),
                "parts": sorted(self._book_parts),  # kept in the cache as long as the book
            })
            self.used_keys.add(book_key)
        return len(document.pages), False

    def _write(self, document, book: Book) -> bytes:
        """The PDF of a laid-out book: PDF/UA where WeasyPrint manages it, else tagged. A
        character no installed font has is named in a warning (it prints as a box, and stays
        in the text layer: ``typesetter.text_layer_kept``)."""
        missing = _MissingGlyphs()
        log = logging.getLogger("weasyprint")
        log.addHandler(missing)
        try:
            with text_layer_kept(), page_references_built_once():
                try:
                    return document.write_pdf(pdf_variant="pdf/ua-1")
                except Exception:  # noqa: BLE001 - PDF/UA is a bonus: fall back to tagged PDF
                    return document.write_pdf(pdf_tags=True)
        finally:
            log.removeHandler(missing)
            if missing.characters:
                chars = sorted(missing.characters)
                shown = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in chars[:8])
                more = " …" if len(missing.characters) > 8 else ""
                self.warnings.append(
                    f"{book.filename}: no installed font has {shown}{more}: printed as an empty "
                    "box (the text layer keeps the character); install a font that has it, "
                    "e.g. Debian's fonts-noto-core or fonts-noto-cjk")

    def _lay_out_part(self, book_node, model: EditionModel, book: Book, mentions, number: int,
                      html: str, start: int, pairs: list[tuple[str, str]],
                      blocks: set[str]) -> list:
        """The pages of part ``number`` of the main matter (its print HTML: ``html``), the
        first numbered ``start``.

        WeasyPrint is kept from moving notes away to fit a paragraph's first lines
        (``typesetter.print_layout``). Should a note still be printed on the page
        after its call's (another WeasyPrint version, a case that change does not cover;
        ``_page_breaks_for`` says what helps), the part is laid out again with a page break
        before the block that pushed the note away, until every note stands with its call
        or nothing more helps (``MAX_FOOTNOTE_REMEDIES`` times at most). The breaks a part
        needed are kept in the build cache under the part's HTML, so that the next render,
        and any other book with the same part, lays it out once.
        """
        spacer = start % 2 == 0  # an even page is a left page: keep it so
        numbering = _numbered_from(start, spacer)

        def part_html(breaks: set[str]) -> str:
            # Unhandled elements are counted once per part (typeset), not once per layout.
            return self._html(book_node, model, book, mentions, "part", breaks=breaks,
                              piece=number, count=False)

        # A note printed in place (too long for a footnote, print/notes.xsl) has no page to
        # share with its call.
        in_place = set(re.findall(r'class="fn [^"]*\bfn-long\b[^"]*" id="([^"]+)"', html))
        pairs = [pair for pair in pairs if pair[1] not in in_place]
        breaks_key = self._breaks_key(html)
        breaks: set[str] = set()
        claimed = False
        if breaks_key is not None:
            # Another process printing the same part (the edition's book and the text's own
            # are typeset side by side) may be finding its breaks: wait for them, unless
            # typesetter's change is in force, which lays every part out once anyway.
            known = self.cache.get(breaks_key)
            if known is None and not self._notes_kept:
                claimed = self.cache.claim(breaks_key)
                if not claimed:
                    known = self.cache.wait(breaks_key)
                    claimed = known is None and self.cache.claim(breaks_key)
            if isinstance(known, list) and known:
                breaks = {name for name in known if isinstance(name, str)}
                html = part_html(breaks)
        try:
            for _attempt in range(MAX_FOOTNOTE_REMEDIES + 1):
                laid = self._layout(html, book, numbering, start)
                part_pages = laid.pages[1:] if spacer else laid.pages
                moved = _moved_footnotes(part_pages, pairs)
                remedy = _page_breaks_for(part_pages, moved, blocks) - breaks
                if not moved or not remedy:
                    break
                breaks |= remedy
                html = part_html(breaks)
            if breaks_key is not None:
                self.cache.put(breaks_key, sorted(breaks))
                self.used_keys.add(breaks_key)
                self._book_parts.add(breaks_key)
        finally:
            if claimed:
                self.cache.release(breaks_key)
        for call_id, page in moved:
            self.warnings.append(
                f"{book.filename}: the footnote called at '{call_id}' (page {start + page}) "
                "is printed on the next page"
            )
        return part_pages

    # -- the build cache

    def _book_key(self, root: etree._Element, model: EditionModel, book: Book,
                  mentions) -> str | None:
        """Everything a book's PDF is made of: the tool, its stylesheets and CSS and the
        typesetter (the salt), the paper, the book's documents and data, its index entries."""
        if self.cache is None:
            return None
        indexes = build_indexes(model, book, mentions, None)
        return digest(self._salt(), "book", book.filename,
                      etree.tostring(root, encoding="UTF-8"),
                      etree.tostring(indexes, encoding="UTF-8"))

    def _breaks_key(self, html: str) -> str | None:
        """The key of the page breaks a part needs. Its layout depends on the CSS, on the
        language of the document and on the body alone (the head is metadata, the body's
        class is not styled), so that a text printed in the edition's book and in a book of
        its own is laid out once: print.css gives every page the same page area, left or
        right, and the number a part starts from is printed in the margin."""
        if self.cache is None:
            return None
        opening = re.search(r"<html[^>]*>", html)
        body = re.search(r"<body[^>]*>", html)
        return digest(self._salt(), "breaks", opening.group(0) if opening else "",
                      html[body.end():] if body else html)

    def _salt(self) -> str:
        if not self._cache_salt:
            import weasyprint

            self._cache_salt = BuildCache.salt(
                tree_digest(xslt_dir()), self._css_text, self._paper, weasyprint.__version__)
        return self._cache_salt

    def _cached_book(self, key: str, dest: Path) -> int | None:
        """Put the book a render made from the same inputs at ``dest``, take over its
        warnings and unhandled elements, and return its page count; None if there is none."""
        meta = self.cache.fetch_file(key, dest)
        if meta is None or not isinstance(meta.get("pages"), int):
            return None
        self.used_keys.add(key)
        self.used_keys.update(str(k) for k in meta.get("parts", []))
        self.warnings.extend(str(w) for w in meta.get("warnings", []))
        for name, count in dict(meta.get("unhandled", {})).items():
            self.unhandled[str(name)] = self.unhandled.get(str(name), 0) + int(count)
        return meta["pages"]

    def _html(self, book_node, model: EditionModel, book: Book, mentions, part: str,
              page_of: dict[str, int] | None = None, breaks: set[str] | None = None,
              piece: int = 0, count: bool = True, parts: Any = None) -> str:
        """The print HTML of one piece of a book (see ``typeset``); ``count``: add its
        unhandled elements to the run's warnings."""
        self._xslt.clear_parameters()
        if part != "part":  # a part of the main matter shows nothing of the indexes
            indexes = build_indexes(model, book, mentions, page_of)
            self._xslt.set_parameter("indexes", self._node(indexes))
        self._xslt.set_parameter("part", self._processor.make_string_value(part))
        self._xslt.set_parameter("piece", self._processor.make_integer_value(piece))
        if parts is not None:
            self._xslt.set_parameter("parts", parts)
        if page_of is not None:
            self._xslt.set_parameter("pages", self._node(_pages_document(page_of)))
        if breaks:
            marked = _pages_document(dict.fromkeys(breaks, 0))
            self._xslt.set_parameter("breaks", self._node(marked))
        try:
            html = self._xslt.transform_to_string(xdm_node=book_node)
        except Exception as exc:  # noqa: BLE001 - saxonche raises PySaxonApiError
            raise BuildError(f"{book.filename}: the print stylesheet failed: {exc}") from exc
        if not html:
            raise BuildError(f"{book.filename}: the print stylesheet produced nothing")
        # WeasyPrint 70 stops at a PARAGRAPH SEPARATOR after a space ("Got ' \u2029' between
        # two lines"); the LINE SEPARATOR it lays out as the same break.
        html = html.replace("\u2029", "\u2028")
        if count and part in ("all", "part", "back"):
            self._count_unhandled(html)
        return html

    def _document(self, markup: str, take_marks: bool = True) -> tuple[Any, list[Mark]]:
        """The WeasyPrint document of a piece's print HTML (XML: print.xsl), parsed by expat,
        and the marks taken out of it (``tei_edition.marks``); WeasyPrint's own parsing of
        the text where this WeasyPrint does not take a tree (the marks then stay)."""
        from weasyprint import HTML

        tree_document = _tree_document_class()
        if tree_document is not None:
            try:
                root = ElementTree.fromstring(markup)
            except ElementTree.ParseError:
                root = None
            if root is not None:
                marks: list[Mark] = []
                if take_marks:
                    try:
                        marks = mark_pages.take_out(root)
                    except Exception:  # noqa: BLE001 - the marks only save time: keep the spans
                        root, marks = ElementTree.fromstring(markup), []
                return tree_document(root, self._fetcher), marks
        return HTML(string=_as_html(markup), url_fetcher=self._fetcher, base_url=None), []

    def _layout(self, html: str, book: Book, extra_css: str | None = None,
                first_page: int = 1):
        from weasyprint import CSS

        stylesheets = list(self._css)
        if extra_css:
            stylesheets.append(CSS(string=extra_css, url_fetcher=self._fetcher))
        watcher = _PageProgress(self.progress, book.filename, first_page)
        log = logging.getLogger("weasyprint.progress")
        level = log.level
        if self.progress is not None:
            log.addHandler(watcher)
            log.setLevel(min(level or logging.INFO, logging.INFO))

        def render():  # noqa: ANN202 - a WeasyPrint Document
            document_html, marks = self._document(html)
            document = document_html.render(stylesheets=stylesheets, font_config=self._fonts)
            if marks and not _placed(document.pages, marks):
                # A text the marks could not be found in again: laid out with its spans.
                document_html, _ = self._document(html, take_marks=False)
                document = document_html.render(stylesheets=stylesheets,
                                                font_config=self._fonts)
            return document

        try:
            try:
                with print_layout():
                    return render()
            except Exception:  # noqa: BLE001 - WeasyPrint unchanged may still manage it
                document = render()
                warning = (f"{book.filename}: laid out without tei-edition's changes to "
                           "WeasyPrint (typesetter.py), which failed on it: please report it "
                           "as a bug of tei-edition with the document")
                if warning not in self.warnings:
                    self.warnings.append(warning)
                return document
        except Exception as exc:  # noqa: BLE001 - a typesetter failure is a build error
            where = self._culprit(html, book, stylesheets)
            raise BuildError(
                f"{book.filename}: WeasyPrint could not lay out the book ({exc}){where}; "
                "the web edition (--format html) shows that text: simplify the passage "
                "(or leave that file out of the print edition) and report it as a bug of "
                "tei-edition with the passage"
            ) from exc
        finally:
            log.removeHandler(watcher)
            log.setLevel(level)

    def _culprit(self, html: str, book: Book, stylesheets) -> str:
        """Where a book WeasyPrint cannot lay out fails (for the error message): the smallest
        element of the print HTML that fails laid out alone, as ", in FILE, <element> ...".

        The body's elements are halved until one fails alone; when a failure needs more than
        one element to happen, the search stops at the smallest group that still fails.
        """
        import copy

        try:
            tree = etree.fromstring(html.encode("utf-8"), etree.XMLParser(
                resolve_entities=False, no_network=True, huge_tree=True))
        except (etree.XMLSyntaxError, ValueError):
            return ""
        body = tree.find("body")
        if body is None:
            return ""
        shell = copy.deepcopy(tree)
        shell_body = shell.find("body")
        for child in list(shell_body):
            shell_body.remove(child)

        def fails(elements: list) -> bool:
            for child in list(shell_body):
                shell_body.remove(child)
            for element in elements:
                shell_body.append(copy.deepcopy(element))
            try:
                document_html, _ = self._document(etree.tostring(shell, encoding="unicode"),
                                                  take_marks=False)
                document_html.render(stylesheets=stylesheets, font_config=self._fonts)
            except Exception:  # noqa: BLE001 - any failure is the one looked for
                return True
            return False

        found = body
        group = [el for el in body if isinstance(el.tag, str)]
        while group:
            if len(group) == 1:
                found = group[0]
                group = [el for el in found if isinstance(el.tag, str)]
                if group and fails(group):
                    continue
                break
            half = len(group) // 2
            if fails(group[:half]):
                group = group[:half]
            elif fails(group[half:]):
                group = group[half:]
            else:
                break
        return _describe_element(found, book)

    def _parts_node(self, parts_html: list[str]):
        """The ``$parts`` parameter: a ``<te:parts>`` document holding each part's HTML."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        wrapper = etree.Element(f"{{{TE_NS}}}parts", nsmap={"te": TE_NS})
        for html in parts_html:
            wrapper.append(etree.fromstring(html.encode("utf-8"), parser))
        return self._node(wrapper)

    def _node(self, element: etree._Element):
        text = etree.tostring(element, encoding="unicode")
        return self._processor.parse_xml(xml_text=text)

    def _count_unhandled(self, html: str) -> None:
        """Count html.xsl's loud fallback marks (data-tei-element) for the run's warnings."""
        marker = 'data-tei-element="'
        start = 0
        while (found := html.find(marker, start)) >= 0:
            end = html.find('"', found + len(marker))
            name = html[found + len(marker):end]
            self.unhandled[name] = self.unhandled.get(name, 0) + 1
            start = end


class _MissingGlyphs(logging.Handler):
    """Collects the characters WeasyPrint drew as .notdef ("unsupported by fonts")."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.characters: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if "unsupported by fonts" in str(record.msg) and isinstance(record.args, tuple) \
                and record.args and isinstance(record.args[0], str):
            self.characters.update(record.args[0])


class _PageProgress(logging.Handler):
    """WeasyPrint's layout log ("Step 5 - Creating layout - Page 12") as a progress line
    every ``PROGRESS_PAGES`` pages, so that a long book does not look stuck."""

    def __init__(self, say: Progress, filename: str, first_page: int) -> None:
        super().__init__(logging.INFO)
        self.say, self.filename, self.first_page = say, filename, first_page

    def emit(self, record: logging.LogRecord) -> None:
        if self.say is None or not str(record.msg).startswith("Step 5 - Creating layout"):
            return
        page = record.args[0] if isinstance(record.args, tuple) and record.args else None
        if isinstance(page, int) and page % PROGRESS_PAGES == 0:
            self.say(f"pdf: {self.filename}: laying out page {self.first_page - 1 + page}…")


def _placed(pages: list, marks: list[Mark]) -> bool:
    """``marks.place``, a failure of which only costs a layout with the names' spans."""
    try:
        return mark_pages.place(pages, marks)
    except Exception:  # noqa: BLE001 - the marks only save time
        return False


def _as_html(markup: str) -> str:
    """The print HTML (XML) written as HTML, for WeasyPrint's HTML parser, which reads an
    empty ``<div/>`` as a start tag."""
    try:
        tree = etree.fromstring(markup.encode("utf-8"), etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError:
        return markup
    return etree.tostring(tree, method="html", encoding="unicode")


@cache
def _tree_document_class() -> type | None:
    """A WeasyPrint ``HTML`` made from a parsed tree (the attributes its constructor sets
    after parsing), or None for a WeasyPrint whose ``HTML`` has other attributes."""
    import cssselect2
    from weasyprint import HTML

    if set(vars(HTML(string="<p></p>", base_url=None))) != {
            "base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element"}:
        return None

    class TreeHTML(HTML):
        def __init__(self, root: Element, url_fetcher: Any) -> None:  # noqa: D107
            self.base_url = None
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

    return TreeHTML


def _describe_element(found, book: Book) -> str:
    """", in FILE, <div> (id …) "its first words…"" for an element of the print HTML."""
    element = found
    while element is not None and not element.get("id"):
        element = element.getparent()
    if element is None or element.tag == "body":
        return ""
    ident = element.get("id", "")
    doc = next((d for d in book.documents if ident.startswith(d.slug + "--")), None)
    classes = (element.get("class") or "").split()
    tei = "note" if "fn" in classes else next(
        (c[4:] for c in classes if c.startswith("tei-")), element.tag)
    body = element.find(".//span[@class='fn-body']") if tei == "note" else None
    words = " ".join("".join((body if body is not None else element).itertext()).split())
    words = words[:60] + ("…" if len(words) > 60 else "")
    local = ident[len(doc.slug) + 2:] if doc else ident
    where = f", in {doc.path}" if doc else ""
    return f'{where}, in <{tei}> ({local}) "{words}"'


def _added(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The counts that grew from ``before`` to ``after``, by how much."""
    return {name: count - before.get(name, 0) for name, count in after.items()
            if count > before.get(name, 0)}


def _part_count(html: str) -> int:
    """How many parts the main matter has (print/book.xsl writes it on the body)."""
    found = re.search(r'<body[^>]*\sdata-parts="(\d+)"', html)
    return int(found.group(1)) if found else 0


def _numbered_from(start: int, spacer: bool) -> str:
    """The CSS that numbers a piece's pages from ``start`` (its spacer page, if any, one
    less)."""
    if spacer:
        return f"@page :first {{ counter-reset: page {start - 1}; }} .spacer {{ display: block; }}"
    return f"@page :first {{ counter-reset: page {start}; }}"


def _anchor_pages(pages, offset: int = 0) -> dict[str, int]:
    """Anchor (HTML id) → page index, for laid-out pages."""
    return {anchor: offset + n for n, page in enumerate(pages) for anchor in page.anchors}


def _moved_footnotes(pages, pairs: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """(call id, page index) of every footnote laid out on another page than its call."""
    where = _anchor_pages(pages)
    return [(call, where[call]) for call, note in pairs
            if call in where and note in where and where[call] != where[note]]


def _page_breaks_for(pages, moved: list[tuple[str, int]], blocks: set[str]) -> set[str]:
    """The blocks to start on a new page so that moved footnotes come back to their call.

    WeasyPrint 70 moves a page's last footnote to the next page to make room for the first
    line of a paragraph that begins at the foot of the page (its orphans rule), leaving the
    call behind. Starting that paragraph on the next page leaves room for the note. When no
    block begins below the call on its page, the block holding the call moves instead.
    """
    found: set[str] = set()
    for call, index in moved:
        anchors = pages[index].anchors
        call_y = anchors[call][1]
        below = [(pos[1], name) for name, pos in anchors.items()
                 if name in blocks and pos[1] > call_y]
        above = [(pos[1], name) for name, pos in anchors.items()
                 if name in blocks and pos[1] <= call_y]
        if below:
            found.add(max(below)[1])
        elif above:
            found.add(max(above)[1])
    return found


def _pages_document(page_of: dict[str, int]) -> etree._Element:
    root = etree.Element(f"{{{TE_NS}}}pages", nsmap={"te": TE_NS})
    for anchor, index in page_of.items():
        etree.SubElement(root, f"{{{TE_NS}}}page", id=anchor, n=str(index + 1))
    return root


def _describe_sources(root: etree._Element, book: Book, model: EditionModel) -> None:
    """Add each text's sources (from its sourceDesc: every citation and paragraph, in order)
    and the book's metadata to the book."""
    t = f"{{{TEI_NS}}}"
    for item in root.iter("{urn:tei-edition}document"):
        tei = item.find(f"{t}TEI")
        desc = tei.find(f"{t}teiHeader/{t}fileDesc/{t}sourceDesc") if tei is not None else None
        if desc is None:
            continue
        lines = []
        for child in desc:
            if child.tag in (f"{t}bibl", f"{t}biblStruct", f"{t}biblFull"):
                lines.append(format_citation(work_parts(child)))
            elif child.tag in (f"{t}p", f"{t}ab"):
                lines.append(text_of(child))
        if not lines and not desc.findall(f"{t}msDesc") + desc.findall(f"{t}listWit"):
            lines = [text_of(desc)]  # anything else it holds, as text
        for line in lines:
            if line.strip():
                etree.SubElement(item, "{urn:tei-edition}source").text = line
    root.set("author", "; ".join(book.authors))
    root.set("subject", book.subject)
    root.set("keywords", ", ".join(d.title for d in book.texts))
    if book.kind == "text" and model.front:
        root.set("part-of", model.front[0].title)

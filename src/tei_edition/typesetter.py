"""Changes to WeasyPrint, made only while the print edition is laid out (``print_layout``) or
written (``text_layer_kept``).

**Notes stay with their calls.**
WeasyPrint (up to 70 at least) moves footnotes that already stand on a page to the next page
to make room for the first lines of a paragraph that begins at the foot of the page (the
"report footnotes" branch of ``layout.block._linebox_layout``, taken when the paragraph's
orphans rule forbids a break before the overflowing line but allows one after it). The calls
of those notes stay behind: a note printed a page after its call, which a book must never do,
and which CSS cannot turn off. Without that branch WeasyPrint does what the orphans rule
asks: the paragraph starts on the next page, and the notes stay with their calls.

``notes_stay_with_calls()`` lays out with a copy of ``_linebox_layout`` whose branch is never
taken, compiled from WeasyPrint's own source, and puts the original back afterwards. When
the source is not the one this was written for (another WeasyPrint version), nothing is
changed: ``pdf.py`` then still finds every moved note after layout and starts the paragraph
that pushed it on a new page (its remedy loop), one more layout per attempt.

**The footnote area is measured, not laid out again.** For every note it adds to or takes
from a page, WeasyPrint lays out the page's whole footnote area anew to learn its height, so a
page with n notes lays out n(n+1)/2 notes. Stacked block notes (``footnote-display: block``,
an area without a max-height, as print.css has them) make an area as tall as the sum of its
notes, each measured once, alone, in an area of the page's width
(``_measured_footnote_area``). The pages are the same; an area it cannot measure that way (an
inline note, a limited height) is laid out as WeasyPrint does; a WeasyPrint whose method is
not the one this was written for (``FOOTNOTE_AREA_DIGEST``) is left alone.

**A character no font has keeps the text layer readable.** For a font with a character no
installed font can draw (a rare sign, a script without a font), WeasyPrint writes an embedded
CMap as the font's encoding that maps those characters to the .notdef glyph. PDF readers
that only know the standard Identity-H encoding (pypdf, pdfminer and the tools built on them)
then read none of the text set in that font, the whole book's body type. ``text_layer_kept``
writes Identity-H with a CIDToGIDMap that sends those characters to .notdef instead (the
same page, the same boxes), for TrueType fonts; a WeasyPrint whose function is not the one
this was written for is left alone.

**Page references are made once.** pydyf, which writes WeasyPrint's PDF, makes the tuple
of all page references anew each time it is read, and WeasyPrint's tagging reads it for every
tagged element: ``page_references_built_once`` makes it once per page count while a PDF is
written.

**WeasyPrint is imported without a search for each library name.** It opens Pango and its
kin under several names in turn, the first of which, on Linux, are not file names, and cffi
asks ``ctypes.util.find_library`` for each: three programs run (ldconfig, gcc, ld) per name
that fails, about a third of the import. ``import_weasyprint`` answers those questions from
one reading of ``ldconfig -p`` while WeasyPrint is imported; should that import fail, it is
done again as WeasyPrint does it.

The changes hold for the whole process while a layout runs: another thread laying out with
WeasyPrint at that moment would get them too.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from math import inf

# The line of WeasyPrint's _linebox_layout that decides to move a page's notes away.
REPORT_DECISION = "report = not context.in_column and can_break_now and not could_break_before"
# The SHA-256 of the source of LayoutContext._update_footnote_area that _measured_footnote_area
# stands in for (WeasyPrint 70).
FOOTNOTE_AREA_DIGEST = "0fcc68f3897d5ef0d681d0c7105373ebcea7a030729ce1981a7b2734f32962b5"
_ORIGINAL_FOOTNOTE_AREA: list = []  # WeasyPrint's method, while footnote_area_measured is on
# The lines of WeasyPrint's pdf.fonts._build_vector_font_dictionary that text_layer_kept changes.
CID_TO_GID_LINE = "'CIDToGIDMap': '/Identity',"
MISSING_ENCODING_LINE = "if font.missing:"


def _source(function) -> str | None:  # noqa: ANN001 - any function
    """The source of ``function``, or None where none is shipped (a bytecode-only install)."""
    try:
        return textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return None


@cache
def _patched_linebox_layout():  # noqa: ANN202 - WeasyPrint's function, untyped
    """WeasyPrint's ``_linebox_layout`` without the branch, or None if it cannot be made."""
    try:
        from weasyprint.layout import block
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return None
    original = getattr(block, "_linebox_layout", None)
    if original is None:
        return None
    source = _source(original)
    if source is None or source.count(REPORT_DECISION) != 1:
        return None
    source = source.replace(REPORT_DECISION, "report = False")
    namespace: dict = {}
    try:
        code = compile(source, getattr(block, "__file__", "<weasyprint>"), "exec")
        exec(code, vars(block), namespace)  # noqa: S102 - WeasyPrint's own code, one line changed
    except SyntaxError:  # pragma: no cover - getsource gave something else
        return None
    replacement = namespace.get("_linebox_layout")
    return (original, replacement) if replacement is not None else None


def patch_available() -> bool:
    """Whether this WeasyPrint can be kept from moving notes away from their calls."""
    return _patched_linebox_layout() is not None


@contextmanager
def notes_stay_with_calls() -> Iterator[bool]:
    """Lay out, inside the block, without moving notes away from their calls; yields
    whether that could be done (see the module's docstring)."""
    patched = _patched_linebox_layout()
    if patched is None:
        yield False
        return
    from weasyprint.layout import block

    original, replacement = patched
    block._linebox_layout = replacement
    try:
        yield True
    finally:
        block._linebox_layout = original


def _measured_footnote_area(context) -> bool:  # noqa: ANN001 - WeasyPrint's LayoutContext
    """``LayoutContext._update_footnote_area`` with each note measured once (module docstring):
    moves the page's bottom above the footnote area and returns whether the area overflows."""
    from weasyprint.formatting_structure import build
    from weasyprint.layout.block import block_level_layout

    area = context.current_footnote_area
    notes = context.current_page_footnotes
    if not _sum_of_notes(area, notes):
        return _lay_out_footnote_area(context)
    if area.height != "auto" and not context.in_column:
        context.page_bottom += area.margin_height()
    area.children = notes
    if not notes:
        area.height = 0
    else:
        heights = context.__dict__.setdefault("_tei_edition_note_heights", {})
        total = 0
        for note in notes:
            key = (id(note), area.width)
            if key not in heights:
                area.children = [note]
                alone = block_level_layout(
                    context, build.create_anonymous_boxes(area.deepcopy()), -inf, None,
                    area.page)[0]
                heights[key] = (alone.height, note)  # the note is kept: its id stays its own
                area.children = notes
            total += heights[key][0]
        area.height = total
    if not context.in_column:
        context.page_bottom -= area.margin_height()
    return False


def _lay_out_footnote_area(context) -> bool:  # noqa: ANN001 - WeasyPrint's LayoutContext
    """WeasyPrint's own way: the whole area laid out."""
    return _ORIGINAL_FOOTNOTE_AREA[0](context)


def _sum_of_notes(area, notes) -> bool:  # noqa: ANN001 - WeasyPrint's boxes
    """Whether the area is as tall as the sum of its notes each laid out alone: block notes
    in an area of unlimited height whose top border or padding keeps the first note's top
    margin inside it, with no bottom margins (so that no two margins collapse into one)."""
    def length(value) -> float | None:  # noqa: ANN001 - a computed CSS value
        number = getattr(value, "value", value)
        return number if isinstance(number, int | float) else None

    if getattr(area, "max_height", None) != inf:
        return False
    top = length(getattr(area, "border_top_width", 0)) or length(getattr(area, "padding_top", 0))
    if not top:
        return False
    return all(
        note.style["footnote_display"] == "block"
        and length(note.style["margin_bottom"]) == 0
        and (length(note.style["margin_top"]) or 0) >= 0
        for note in notes
    )


def footnote_area_can_be_measured() -> bool:
    """Whether this WeasyPrint's footnote area is the one ``_measured_footnote_area`` knows."""
    try:
        from weasyprint.layout import LayoutContext
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return False
    source = _source(getattr(LayoutContext, "_update_footnote_area", None))
    return (source is not None
            and hashlib.sha256(source.encode("utf-8")).hexdigest() == FOOTNOTE_AREA_DIGEST)


@contextmanager
def footnote_area_measured() -> Iterator[bool]:
    """Lay out, inside the block, measuring footnote areas note by note; yields whether that
    could be done (see the module's docstring)."""
    if not footnote_area_can_be_measured():
        yield False
        return
    from weasyprint.layout import LayoutContext

    original = LayoutContext._update_footnote_area
    _ORIGINAL_FOOTNOTE_AREA[:] = [original]
    LayoutContext._update_footnote_area = _measured_footnote_area
    try:
        yield True
    finally:
        LayoutContext._update_footnote_area = original


@contextmanager
def print_layout() -> Iterator[None]:
    """Both changes, for one layout of the print edition."""
    with ExitStack() as stack:
        stack.enter_context(notes_stay_with_calls())
        stack.enter_context(footnote_area_measured())
        yield


def _cid_to_gid_map(pdf, font, compress):  # noqa: ANN001, ANN202 - WeasyPrint's objects
    """The CIDToGIDMap of a TrueType font: identity, but .notdef (0) for the characters no
    installed font has (``font.missing``: unused glyph ids WeasyPrint gave them)."""
    if not font.missing or font.type == "otf":
        return "/Identity"
    import pydyf

    missing = set(font.missing.values())
    top = max(max(font.widths, default=0), max(missing))
    data = b"".join((0 if cid in missing else cid).to_bytes(2, "big") for cid in range(top + 1))
    stream = pydyf.Stream((data,), compress=compress)
    pdf.add_object(stream)
    return stream.reference


@cache
def _patched_font_dictionary():  # noqa: ANN202 - WeasyPrint's function, untyped
    """(WeasyPrint's _build_vector_font_dictionary, the copy writing Identity-H with a
    CIDToGIDMap for missing glyphs), or None when its source is not the expected one."""
    try:
        from weasyprint.pdf import fonts
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return None
    original = getattr(fonts, "_build_vector_font_dictionary", None)
    source = _source(original) if original is not None else None
    if (source is None or source.count(CID_TO_GID_LINE) != 1
            or source.count(MISSING_ENCODING_LINE) != 1):
        return None
    source = source.replace(
        CID_TO_GID_LINE, "'CIDToGIDMap': _cid_to_gid_map(pdf, font, compress),").replace(
        MISSING_ENCODING_LINE, 'if font.missing and font.type == "otf":')
    scope = dict(vars(fonts), _cid_to_gid_map=_cid_to_gid_map)
    namespace: dict = {}
    try:
        exec(compile(source, getattr(fonts, "__file__", "<weasyprint>"), "exec"), scope,  # noqa: S102
             namespace)
    except SyntaxError:  # pragma: no cover - getsource gave something else
        return None
    replacement = namespace.get("_build_vector_font_dictionary")
    return (original, replacement) if replacement is not None else None


@contextmanager
def text_layer_kept() -> Iterator[bool]:
    """Write a PDF, inside the block, whose text stays readable where a character has no font
    (see the module's docstring); yields whether that could be done."""
    patched = _patched_font_dictionary()
    if patched is None:
        yield False
        return
    from weasyprint.pdf import fonts

    original, replacement = patched
    fonts._build_vector_font_dictionary = replacement
    try:
        yield True
    finally:
        fonts._build_vector_font_dictionary = original


@contextmanager
def page_references_built_once() -> Iterator[None]:
    """While the block runs, pydyf's ``PDF.page_references`` (the references of all pages, a
    tuple made anew at every reading) is made once per number of pages: WeasyPrint's tagging
    reads it for every tagged element, which made writing a book of n pages and m elements
    cost n × m (0.6 s of the 4.4 s a 90-page book took to write). The same references."""
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or original.fget is None:
        yield
        return
    build = original.fget

    def page_references(pdf: pydyf.PDF) -> tuple:
        known = getattr(pdf, "_te_page_references", None)
        count = len(pdf.pages["Kids"])  # pages are only ever added
        if known is None or known[0] != count:
            known = (count, build(pdf))
            pdf._te_page_references = known  # noqa: SLF001 - a cache on pydyf's object
        return known[1]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


def import_weasyprint() -> None:
    """Import WeasyPrint (see the module docstring), once; raises what its import raises."""
    if "weasyprint" in sys.modules:
        return
    if not sys.platform.startswith("linux"):
        import weasyprint  # noqa: F401
        return
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = _library_finder()
    try:
        import weasyprint  # noqa: F401
    except (OSError, ImportError):
        for name in [name for name in sys.modules if name.partition(".")[0] == "weasyprint"]:
            del sys.modules[name]
        ctypes.util.find_library = original
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = original


def _library_finder():  # noqa: ANN202 - a ctypes.util.find_library stand-in
    """``find_library`` from one listing of the dynamic linker's cache: the soname of
    ``lib<name>.so``, or None."""
    listing: list[str] = []

    def find_library(name: str) -> str | None:
        if not listing:
            try:
                listing.append(subprocess.run(
                    ["ldconfig", "-p"], capture_output=True, text=True, timeout=10,
                    env={"LC_ALL": "C", "LANG": "C", "PATH": "/sbin:/usr/sbin:/usr/bin:/bin"},
                    check=False).stdout)
            except (OSError, subprocess.SubprocessError):
                listing.append("")
        found = re.search(rf"\s(lib{re.escape(name)}\.so(?:\.[\d.]+)?)\s", listing[0])
        return found.group(1) if found else None

    return find_library

"""tei_edition.typesetter: WeasyPrint, while the print edition is laid out, starts a paragraph
that begins at the foot of a page on the next page instead of moving the page's footnotes
away from their calls to make room for its first lines, and measures a footnote area note by
note instead of laying it out again for every note; and it is put back afterwards.

The case is found, not assumed: a short page holds a paragraph with a note, then a long
paragraph; the first paragraph grows word by word until WeasyPrint, unchanged, prints the
note a page after its call. Each such layout is then made again inside
``notes_stay_with_calls()``, where the note must stand on its call's page.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import weasyprint
from weasyprint import CSS, HTML

from tei_edition import typesetter
from tei_edition.typesetter import (
    footnote_area_can_be_measured,
    footnote_area_measured,
    notes_stay_with_calls,
    patch_available,
)

CSS_TEXT = """
@page { size: A6; margin: 10mm; }
html { font: 10pt/1.4 "DejaVu Serif", serif; }
p { orphans: 2; widows: 2; margin: 0; }
.fn { float: footnote; font-size: 8pt; footnote-policy: line; }
"""
WRITTEN_FOR = "70.0"  # the WeasyPrint whose code typesetter.py changes
needs_notes_change = pytest.mark.skipif(
    not patch_available(), reason="this WeasyPrint's line layout is not the one changed")
needs_area_change = pytest.mark.skipif(
    not footnote_area_can_be_measured(),
    reason="this WeasyPrint's footnote area is not the one changed")
WORDS = ("lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed",
         "do", "eiusmod", "tempor")


def _words(count: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(count))


def _page_with_note(filler: int) -> str:
    return (
        f'<html lang="en"><body><p>{_words(filler)} <a id="call">call</a>'
        '<span class="fn" id="note">The note of the first paragraph, long enough to take '
        f"two lines at the foot of the page.</span> end.</p><p>{_words(120)}</p></body></html>"
    )


def _call_and_note_pages(html: str) -> tuple[int, int]:
    document = HTML(string=html).render(stylesheets=[CSS(string=CSS_TEXT)])
    where: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            where.setdefault(name, index)
    return where["call"], where["note"]


def test_the_weasyprint_it_was_written_for_takes_both_changes() -> None:
    # With another WeasyPrint the print edition lays out as WeasyPrint does (and lays a part
    # out again when a note moved, see pdf.py); the tests of the changes then skip, saying so.
    if weasyprint.__version__ != WRITTEN_FOR:
        pytest.skip(f"WeasyPrint {weasyprint.__version__}: typesetter.py was written for "
                    f"{WRITTEN_FOR}; changed here: notes {patch_available()}, "
                    f"footnote area {footnote_area_can_be_measured()}")
    assert patch_available()
    assert footnote_area_can_be_measured()


@needs_notes_change
def test_a_note_stays_on_its_calls_page_when_the_next_paragraph_starts_at_the_foot() -> None:
    moved = [filler for filler in range(100, 190, 3)
             if len(set(_call_and_note_pages(_page_with_note(filler)))) > 1]
    assert moved, "no layout in the range moves a note away: the case is not shown"
    for filler in moved:
        with notes_stay_with_calls() as changed:
            call, note = _call_and_note_pages(_page_with_note(filler))
        assert changed
        assert call == note, f"{filler} words: note on page {note + 1}, call on {call + 1}"


@needs_notes_change
@needs_area_change
def test_weasyprint_is_put_back_after_the_layout_even_when_it_fails() -> None:
    from weasyprint.layout import LayoutContext, block

    line_layout, footnote_area = block._linebox_layout, LayoutContext._update_footnote_area
    with pytest.raises(RuntimeError), typesetter.print_layout():
        assert block._linebox_layout is not line_layout
        assert LayoutContext._update_footnote_area is not footnote_area
        raise RuntimeError("a layout failed")
    assert block._linebox_layout is line_layout
    assert LayoutContext._update_footnote_area is footnote_area


# Notes as print.css sets them: stacked blocks with a top margin, under a rule.
NOTES_CSS = """
@page { size: A6; margin: 10mm; @footnote { border-top: 0.5pt solid black; } }
html { font: 9pt/1.35 "DejaVu Serif", serif; }
p { margin: 0; orphans: 1; widows: 1; }
.fn { float: footnote; footnote-policy: line; font-size: 7pt; margin: 1.2mm 0 0 0; }
.fn .as-block { display: block; margin-top: 1mm; }
"""


def _many_notes() -> str:
    paragraphs = []
    for number in range(1, 25):
        note = _words(8 + (number * 7) % 45)
        block = f'<span class="as-block">{_words(12)}</span>' if number % 5 == 0 else ""
        paragraphs.append(
            f'<p>{_words(20 + (number * 13) % 50)} <a id="call-{number}">{number}</a>'
            f'<span class="fn" id="note-{number}">{number} {note}{block}</span> '
            f"{_words(15)}</p>")
    return f'<html lang="en"><body>{"".join(paragraphs)}</body></html>'


def _anchors(html: str, css: str) -> list[dict[str, tuple[int, ...]]]:
    document = HTML(string=html).render(stylesheets=[CSS(string=css)])
    return [{name: tuple(round(value) for value in where) for name, where in page.anchors.items()}
            for page in document.pages]


def _counting_fallback(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    laid_out = typesetter._lay_out_footnote_area

    def counted(context) -> bool:  # noqa: ANN001 - WeasyPrint's LayoutContext
        calls.append(1)
        return laid_out(context)

    monkeypatch.setattr(typesetter, "_lay_out_footnote_area", counted)
    return calls


@needs_area_change
def test_a_measured_footnote_area_gives_the_same_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    html = _many_notes()
    as_weasyprint_does = _anchors(html, NOTES_CSS)
    assert len(as_weasyprint_does) > 3  # several pages, several notes on each
    assert max(sum(name.startswith("note-") for name in page) for page in as_weasyprint_does) > 2
    fallback = _counting_fallback(monkeypatch)
    with footnote_area_measured() as measured:
        assert measured
        assert _anchors(html, NOTES_CSS) == as_weasyprint_does
    assert not fallback, "every area of these pages can be measured note by note"


@needs_area_change
def test_notes_with_bottom_margins_are_laid_out_as_weasyprint_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Margins that collapse between two notes make the area shorter than the sum of its
    # notes: such an area is left to WeasyPrint.
    css = NOTES_CSS + ".fn { margin: 2mm 0 2mm 0; }"
    html = _many_notes()
    as_weasyprint_does = _anchors(html, css)
    fallback = _counting_fallback(monkeypatch)
    with footnote_area_measured():
        assert _anchors(html, css) == as_weasyprint_does
    assert fallback


# --- the text layer of a font with a character no installed font has ------------------------

MISSING_GLYPH_PAGE = ('<html lang="en"><body><p>Receipt with a stauros ⳨ and the words '
                      "after it.</p></body></html>")


def _text_of(data: bytes) -> str:
    import io

    import pypdf

    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_missing_glyph_leaves_the_text_readable() -> None:
    """WeasyPrint's own encoding for such a font hides every word from pypdf; the PDF written
    inside text_layer_kept reads whole, the missing character with it."""
    if typesetter._patched_font_dictionary() is None:
        pytest.skip("this WeasyPrint's font dictionary is not the one changed")
    document = HTML(string=MISSING_GLYPH_PAGE).render(stylesheets=[CSS(string=CSS_TEXT)])
    assert "words after it" not in _text_of(document.write_pdf())  # WeasyPrint's encoding
    with typesetter.text_layer_kept() as changed:
        kept = document.write_pdf()
    assert changed
    assert "Receipt with a stauros ⳨ and the words after it." in " ".join(_text_of(kept).split())
    from weasyprint.pdf import fonts

    assert fonts._build_vector_font_dictionary is typesetter._patched_font_dictionary()[0]


def test_another_weasyprints_fonts_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.pdf import fonts

    original = fonts._build_vector_font_dictionary
    typesetter._patched_font_dictionary.cache_clear()
    monkeypatch.setattr(typesetter, "CID_TO_GID_LINE", "a line this WeasyPrint does not have")
    try:
        with typesetter.text_layer_kept() as changed:
            assert not changed
            assert fonts._build_vector_font_dictionary is original
    finally:
        typesetter._patched_font_dictionary.cache_clear()


# --------------------------------------------------------------------------------------------
# import_weasyprint: the libraries found from one listing of the linker's cache


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the finder is for Linux")
def test_the_library_finder_names_the_libraries_ctypes_finds() -> None:
    import ctypes.util

    finder = typesetter._library_finder()
    for name in ("gobject-2.0", "pango-1.0", "harfbuzz", "fontconfig", "pangoft2-1.0"):
        assert finder(name) == ctypes.util.find_library(name), name
    # The names WeasyPrint tries first on Linux, which are no library's.
    assert finder("libgobject-2.0-0") is None and finder("pango-1.0-0") is None


def _import_in_a_new_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)


def test_weasyprint_imported_with_the_finder_works_and_ctypes_is_put_back() -> None:
    result = _import_in_a_new_python(
        "import ctypes.util; original = ctypes.util.find_library\n"
        "from tei_edition import typesetter; typesetter.import_weasyprint()\n"
        "assert ctypes.util.find_library is original\n"
        "import weasyprint; weasyprint.HTML(string='<p>x</p>').render()\n"
        "print('imported')")
    assert result.returncode == 0 and "imported" in result.stdout, result.stderr


def test_an_import_the_finder_breaks_is_done_again_as_weasyprint_does_it() -> None:
    result = _import_in_a_new_python(
        "from tei_edition import typesetter\n"
        "def broken():\n"
        "    def find(name): raise ImportError('the finder is broken')\n"
        "    return find\n"
        "typesetter._library_finder = broken\n"
        "typesetter.import_weasyprint()\n"
        "import weasyprint; weasyprint.HTML(string='<p>x</p>').render()\n"
        "print('imported')")
    assert result.returncode == 0 and "imported" in result.stdout, result.stderr


def test_page_references_made_once_are_the_same_and_follow_new_pages() -> None:
    import pydyf

    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    made_anew = pydyf.PDF.page_references.fget  # pydyf's own
    expected = made_anew(pdf)
    with typesetter.page_references_built_once():
        assert pdf.page_references == expected
        assert pdf.page_references is pdf.page_references  # made once, not at every reading
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == made_anew(pdf) and len(pdf.page_references) == 4
    assert isinstance(pydyf.PDF.__dict__["page_references"], property)
    assert pdf.page_references is not pdf.page_references  # pydyf's own again

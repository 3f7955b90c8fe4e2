"""tei_edition.typesetter: WeasyPrint, while the print edition is laid out, starts a paragraph
that begins at the foot of a page on the next page instead of moving the page's footnotes
away from their calls to make room for its first lines; and it is put back afterwards.

The case is found, not assumed: a short page holds a paragraph with a note, then a long
paragraph; the first paragraph grows word by word until WeasyPrint, unchanged, prints the
note a page after its call. Each such layout is then made again inside
``notes_stay_with_calls()``, where the note must stand on its call's page.
"""

from __future__ import annotations

import pytest
from weasyprint import CSS, HTML

from tei_edition.typesetter import notes_stay_with_calls, patch_available

CSS_TEXT = """
@page { size: A6; margin: 10mm; }
html { font: 10pt/1.4 "DejaVu Serif", serif; }
p { orphans: 2; widows: 2; margin: 0; }
.fn { float: footnote; font-size: 8pt; footnote-policy: line; }
"""
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


def test_the_installed_weasyprint_can_be_kept_from_moving_notes() -> None:
    # Should a WeasyPrint release change the code this relies on, this fails first (the
    # print edition then falls back on laying a part out again, see pdf.py).
    assert patch_available()


def test_a_note_stays_on_its_calls_page_when_the_next_paragraph_starts_at_the_foot() -> None:
    moved = [filler for filler in range(100, 190, 3)
             if len(set(_call_and_note_pages(_page_with_note(filler)))) > 1]
    assert moved, "no layout in the range moves a note away: the case is not shown"
    for filler in moved:
        with notes_stay_with_calls() as changed:
            call, note = _call_and_note_pages(_page_with_note(filler))
        assert changed
        assert call == note, f"{filler} words: note on page {note + 1}, call on {call + 1}"


def test_weasyprint_is_put_back_after_the_layout_even_when_it_fails() -> None:
    from weasyprint.layout import block

    original = block._linebox_layout
    with pytest.raises(RuntimeError), notes_stay_with_calls():
        assert block._linebox_layout is not original
        raise RuntimeError("a layout failed")
    assert block._linebox_layout is original

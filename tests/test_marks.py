"""tei_edition.marks: mentions taken out of the print HTML before layout are found again on the
page where their span would have been."""

from __future__ import annotations

import random
from xml.etree import ElementTree

import pytest

from tei_edition import marks

weasyprint = pytest.importorskip("weasyprint")

WORDS = ("the revolutionary committee of the Petrograd Soviet",
         "internationalisation of production", "was arrested", "unquestionably",
         "counterrevolutionaries", "and", "in", "deliberately",
         "extraordinarily", "Bolsheviks", "Mensheviks", "constitutional", "interrelationship")
NAMES = ("Kamenev", "Lev Trotsky", "Nadezhda Krupskaya", "Zinoviev")
CSS = """
@page { size: 70mm 55mm; margin: 5mm; }
body { font-family: 'DejaVu Serif'; font-size: 9pt; }
p { hyphens: auto; text-align: justify; margin: 0 0 2mm 0; }
.fn { float: footnote; font-size: 7pt; }
.up { text-transform: uppercase; }
"""


def _document(paragraphs: int, seed: int) -> str:
    """A text whose paragraphs run over pages, with marked names (some nested, some around
    an italic word, some in a footnote) among long words that hyphenate."""
    rng = random.Random(seed)
    body, number = [], 0
    for _p in range(paragraphs):
        parts = []
        for _w in range(rng.randint(20, 60)):
            if rng.random() < 0.25:
                number += 1
                name = rng.choice(NAMES)
                if rng.random() < 0.15:
                    name = f"<i>{name}</i> of Moscow"
                mark = f'<span class="tei-persName te-mark" id="n{number}">{name}</span>'
                if rng.random() < 0.1:
                    number += 1
                    mark = (f'<span class="tei-orgName te-mark" id="m{number}">the {mark} '
                            'group</span>')
                parts.append(mark)
            else:
                parts.append(rng.choice(WORDS))
            if rng.random() < 0.03:
                number += 1
                parts.append(f'<span class="fn"><span class="tei-persName te-mark" '
                             f'id="f{number}">Lenin</span> said so.</span>')
        body.append(f'<p id="p{_p}">{" ".join(parts)}.</p>')
    return (f'<html lang="en"><head><style>{CSS}</style></head><body>'
            f'{"".join(body)}</body></html>')


def _render(root: ElementTree.Element):
    from tei_edition.pdf import _tree_document_class

    tree_html = _tree_document_class()
    assert tree_html is not None, "this WeasyPrint takes no parsed tree"
    return tree_html(root, None).render()


def _laid_out_without_marks(markup: str):
    """The document of ``markup`` laid out with its marks taken out, each placed again."""
    root = ElementTree.fromstring(markup)
    taken = marks.take_out(root)
    laid = _render(root)
    assert marks.place(laid.pages, taken)
    return laid


def _occurrences(pages, name: str) -> list[int]:
    """The page of the first letter of each occurrence of ``name`` in the body text (not the
    footnotes), read from the laid-out lines: an oracle that knows nothing of marks."""
    chars: list[tuple[str, int]] = []

    def walk(box, number):
        if "footnote" in type(box).__name__.lower():
            return
        if hasattr(box, "text") and box.text:
            text = box.text[:-1] if box.text.endswith("\u2010") else box.text
            chars.extend((ch, number) for ch in text if not ch.isspace())
        for child in getattr(box, "children", ()):
            walk(child, number)

    for number, page in enumerate(pages):
        walk(page._page_box.children[0], number)  # the page's body, not its footnote area
    text = "".join(ch for ch, _ in chars)
    wanted = "".join(name.split())
    found, start = [], 0
    while (index := text.find(wanted, start)) >= 0:
        found.append(chars[index][1])
        start = index + 1
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_mark_is_on_the_page_where_its_name_is_printed(seed):
    markup = _document(paragraphs=12, seed=seed)
    root = ElementTree.fromstring(markup)
    names = {span.get("id"): "".join(span.itertext()) for span in marks.iter_marks(root)}
    taken = marks.take_out(root)
    assert {span.get("id") for span in marks.iter_marks(root)} == {
        name for name in names if name.startswith("f")}  # footnotes keep theirs
    laid = _render(root)
    assert len(laid.pages) > 4  # paragraphs run over pages
    assert any(box.text.endswith("\u2010") for page in laid.pages
               for box in page._page_box.descendants() if getattr(box, "text", None))
    assert marks.place(laid.pages, taken)
    placed = {name: number for number, page in enumerate(laid.pages)
              for name in page.anchors}
    for name in NAMES:
        expected = sorted(_occurrences(laid.pages, name))
        got = sorted(placed[mark.id] for mark in taken
                     if mark.id.startswith("n") and names[mark.id].startswith(name))
        assert got == expected, name
    assert all(mark.id in placed for mark in taken)


def test_taking_marks_out_keeps_every_character_in_place():
    markup = ('<html><body><p id="a">Before <span class="tei-persName te-mark" id="m1">Lev '
              '<i>Kamenev</i></span>, <span class="tei-orgName te-mark" id="m2">the <span '
              'class="tei-persName te-mark" id="m3">Trotsky</span> group</span> and '
              '<span class="fn">note <span class="tei-persName te-mark" id="m4">Lenin</span>'
              '</span> after.</p></body></html>')
    root = ElementTree.fromstring(markup)
    text_before = "".join(root.itertext())
    taken = marks.take_out(root)
    assert "".join(root.itertext()) == text_before
    assert [mark.id for mark in taken] == ["m1", "m2", "m3"]
    offsets = {mark.id: mark.offset for mark in taken}
    # Characters before each mark, white space left out, the footnote's text not counted.
    assert offsets == {"m1": len("Before"), "m2": len("BeforeLevKamenev,"),
                       "m3": len("BeforeLevKamenev,the")}
    assert root.find(".//i") is not None  # the children of a mark stay
    # A mark inside a footnote keeps its span: the note is its index's target.
    assert [span.get("id") for span in marks.iter_marks(root)] == ["m4"]
    assert all(mark.host.get("id") == "a" for mark in taken)


def test_a_host_whose_laid_out_text_differs_places_nothing():
    markup = ('<html><body><p id="a">Before <span class="tei-persName te-mark" id="m1">Kamenev'
              '</span> after.</p></body></html>')
    root = ElementTree.fromstring(markup)
    taken = marks.take_out(root)
    root.find(".//p").text = "Something else entirely: Kamenev after."
    laid = _render(root)
    assert marks.place(laid.pages, taken) is False
    assert "m1" not in laid.pages[0].anchors


def test_case_changed_by_the_style_still_places_the_mark():
    markup = ('<html><head><style>p { text-transform: uppercase; }</style></head><body>'
              '<p id="a">Before <span class="tei-persName te-mark" id="m1">Kamenev</span>'
              ' after.</p></body></html>')
    laid = _laid_out_without_marks(markup)
    assert "m1" in laid.pages[0].anchors


def test_a_host_nested_deeper_than_pythons_stack_is_read():
    root = ElementTree.fromstring("<html><body><p id='a'>x</p></body></html>")
    host = root.find(".//p")
    element = host
    for _level in range(5000):  # the host's text runs through 5000 nested elements
        element = ElementTree.SubElement(element, "i")
        element.text = "y"
    mark = ElementTree.SubElement(host, "span", {"class": "tei-persName te-mark", "id": "m1"})
    mark.text = "Kamenev"
    taken = marks.take_out(root)
    assert [(m.id, m.offset, m.host_text) for m in taken] == [
        ("m1", 5001, "x" + "y" * 5000 + "Kamenev")]
    assert taken[0].host is host
    assert not list(marks.iter_marks(root))
    assert "".join(root.itertext()) == "x" + "y" * 5000 + "Kamenev"


def test_a_mark_in_a_hidden_host_gets_no_page_and_the_others_theirs():
    markup = ('<html><head><style>.hidden { display: none; }</style></head><body>'
              '<p id="a">Seen <span class="tei-persName te-mark" id="m1">Kamenev</span>.</p>'
              '<p class="hidden">Unseen <span class="tei-persName te-mark" id="m2">Zinoviev'
              '</span>.</p></body></html>')
    laid = _laid_out_without_marks(markup)
    assert "m1" in laid.pages[0].anchors and "m2" not in laid.pages[0].anchors


def test_a_name_that_is_all_its_block_holds_is_on_the_blocks_page():
    """An empty name alone in a paragraph or a cell leaves a laid-out host with no text: its
    page is the host's (a helper session found the index printing no page for it)."""
    markup = ('<html><body><p id="a"><span class="tei-persName te-mark" id="m1"></span></p>'
              '<table><tr><td><span class="tei-persName te-mark" id="m2"> </span></td></tr>'
              '</table><p id="b">Then <span class="tei-persName te-mark" id="m3">Trotsky</span>'
              '.</p></body></html>')
    laid = _laid_out_without_marks(markup)
    assert {"m1", "m2", "m3"} <= set(laid.pages[0].anchors)

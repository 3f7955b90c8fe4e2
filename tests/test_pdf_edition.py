"""The print edition of the real edition in tei/: the PDF checks of test_pdf.py, on it.

Skipped until the edition is there (tei/edition.xml and at least one text).
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from test_pdf import (
    assert_footnotes_in_place,
    assert_index_true,
    assert_reading_in,
    footnotes_of,
    nested,
    page_texts,
    squeeze,
    streams,
)

from tei_edition.cache import BuildCache
from tei_edition.model import build_model
from tei_edition.pdf import print_books
from tei_edition.print_model import plan_books
from tei_edition.sources import load_edition

TEI = Path(__file__).resolve().parent.parent / "tei"

pytestmark = pytest.mark.skipif(
    not (TEI / "edition.xml").exists() or not any(TEI.glob("*.xml")),
    reason="the edition is not in tei/ yet",
)


@pytest.fixture(scope="module")
def model():
    built = build_model(load_edition([TEI]))
    if not built.texts:
        pytest.skip("no text in tei/ yet")
    return built


@pytest.fixture(scope="module")
def books(model, tmp_path_factory):
    out = tmp_path_factory.mktemp("edition-pdf")
    return {b.path.name: b for b in print_books(model, out, "a4")}


def test_the_edition_and_each_text(books, model):
    assert "edition.pdf" in books
    assert {d.slug + ".pdf" for d in model.texts} <= set(books)


def test_every_character_of_both_texts_is_printed(books, model):
    assert_reading_in(books["edition.pdf"].path, model.texts)
    for doc in model.texts:
        assert_reading_in(books[doc.slug + ".pdf"].path, [doc])


def test_every_note_is_at_the_foot_of_its_calls_page(books, model):
    path = books["edition.pdf"].path
    assert assert_footnotes_in_place(path, model, model.texts) == footnotes_of(model.texts)
    for doc in model.texts:
        assert assert_footnotes_in_place(books[doc.slug + ".pdf"].path, model, [doc]) == (
            footnotes_of([doc]))


def test_notes_inside_notes_are_printed_in_their_note(books, model):
    _, feet = streams(books["edition.pdf"].path)
    inner = [n for d in model.texts for n in d.notes if nested(n)]
    for note in inner:
        assert squeeze("".join(note.element.itertext()))[:40] in feet, note.anchor


def test_le_blanc_notes_are_numbered_as_in_the_source(model, books):
    leblanc = next((d for d in model.texts if d.id == "leblanc"), None)
    if leblanc is None:
        pytest.skip("the Le Blanc text is not encoded yet")
    numbers = [n.n for n in leblanc.notes if not n.editorial]
    assert numbers == [str(k) for k in range(1, 24)]
    feet = "".join(page_texts(books["edition.pdf"].path))
    assert "Krupskaya" in feet


def test_indexes_give_true_pages(books, model):
    path = books["edition.pdf"].path
    docs = model.texts + model.front
    assert assert_index_true(path, model, docs, "person", "Index of persons") >= 20
    assert assert_index_true(path, model, docs, "place", "Index of places") >= 5
    for doc in model.texts:
        assert assert_index_true(books[doc.slug + ".pdf"].path, model, [doc], "person",
                                 "Index of persons") >= 5


def test_metadata_and_outline(books, model):
    reader = pypdf.PdfReader(books["edition.pdf"].path)
    assert reader.metadata.title == model.front[0].title
    assert reader.trailer["/Root"]["/Lang"]
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[-3:] == ["Index of persons", "Index of places", "Bibliography"]
    # The texts in the order the front matter names them (Simkin 2013, then Le Blanc 2021).
    book = plan_books(model)[0]
    assert [t for t in titles if t in {d.title for d in model.texts}] == [
        d.title for d in book.texts]


def test_pages_are_numbered_through_each_book(books):
    """Every page but the title page bears its number, in sequence across the pieces the
    book is laid out in (pdf.py), and a running head except where a part opens."""
    for name, book in books.items():
        reader = pypdf.PdfReader(book.path)
        openings = {reader.get_destination_page_number(item) + 1
                    for item in reader.outline if not isinstance(item, list)}
        with pdfplumber.open(book.path) as pdf:
            assert not [c for c in pdf.pages[0].chars if c["top"] > pdf.pages[0].height - 66]
            for page in pdf.pages[1:]:
                folio = "".join(c["text"] for c in page.chars if c["top"] > page.height - 66)
                assert folio == str(page.page_number), (name, page.page_number, folio)
                head = "".join(c["text"] for c in page.chars if c["top"] < 62).strip()
                if page.page_number > min(openings):
                    assert bool(head) == (page.page_number not in openings), (
                        name, page.page_number, head)


def test_a_cached_build_prints_the_same_books(books, model, tmp_path):
    """With the build cache, each part's page breaks found once serve every book that prints
    it, and the next render takes the books from the cache: the PDFs read the same."""
    book_cache = BuildCache(tmp_path / "out", "pdf")
    cached = {b.path.name: b for b in print_books(model, tmp_path / "one", "a4",
                                                  cache=book_cache)}
    again = {b.path.name: b for b in print_books(model, tmp_path / "two", "a4",
                                                 cache=book_cache)}
    assert all(b.reused for b in again.values())
    for name, book in books.items():
        assert page_texts(cached[name].path) == page_texts(book.path), name
        assert again[name].path.read_bytes() == cached[name].path.read_bytes()


def _plain_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())


def test_a_list_whose_items_carry_their_numbers_is_numbered_once(books):
    """Duranty's four conclusions (item/label "1.") print "1. That", not "1. 1. That"."""
    text = _plain_text(books["edition.pdf"].path)
    assert "1. That inside the Bolshevik Party" in text and "1. 1. That" not in text


def test_an_abbreviation_prints_with_its_expansion_in_a_note(books):
    text = _plain_text(books["simkin-kamenev.pdf"].path)
    found = re.search(r"That N\.E\.P\.([a-z]+), it was now clear", text)
    assert found
    assert f"{found.group(1)} Abbreviation of New Economic Policy." in text

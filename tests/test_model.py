"""The cross-document model: classification, entries, pointers, mentions, dates, anchors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_edition.model import build_model, format_citation, format_date, work_parts
from tei_edition.sources import load_edition

EDITION = Path(__file__).parent / "fixtures" / "render" / "edition"


@pytest.fixture(scope="module")
def model():
    return build_model(load_edition([EDITION]))


def test_documents_are_classified(model):
    kinds = {d.id: d.kind for d in model.documents}
    assert kinds["kamenev-text"] == "text"
    assert kinds["leblanc"] == "text"
    assert kinds["edition"] == "front"
    assert {kinds[k] for k in ("persons", "places", "orgs", "works")} == {"register"}


def test_corpus_members_count_as_texts():
    m = build_model(load_edition([EDITION.parent / "corpus.xml"]))
    assert [d.title for d in m.texts] == ["Member one", "Member two"]
    assert len({d.slug for d in m.texts}) == 2


def test_entries_carry_register_data(model):
    k = model.entries["kamenev"]
    assert (k.kind, k.name, k.dates) == ("person", "Lev Kamenev", "1883–1936")
    assert k.variants == ["Lev Borisovich Rozenfeld"]
    assert "Moscow Soviet" in k.description
    assert model.entries["moscow"].coordinates == (55.7558, 37.6173)
    assert model.entries["bolsheviks"].kind == "org"
    assert "Haymarket Books" in model.entries["leblanc-lenin"].citation


def test_a_life_with_one_known_date_reads_born_or_died(tmp_path):
    (tmp_path / "persons.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>P'
        "</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/>"
        "</sourceDesc></fileDesc></teiHeader><text><body><listPerson>"
        '<person xml:id="a"><persName>A</persName><death when="1937"/></person>'
        '<person xml:id="b"><persName>B</persName><birth when="1941-05-03"/></person>'
        '<person xml:id="c"><persName>C</persName><birth when="1818"/><death when="1881"/>'
        "</person></listPerson></body></text></TEI>", encoding="utf-8")
    entries = build_model(load_edition([tmp_path / "persons.xml"])).entries
    assert [entries[k].dates for k in "abc"] == ["d. 1937", "b. 1941", "1818–1881"]


def test_persons_sort_by_surname(model):
    names = [e.name for e in model.entries_of("person")]
    assert names.index("Lev Kamenev") < names.index("Nadezhda Krupskaya") < names.index(
        "Leon Trotsky") < names.index("Gregory Zinoviev")


def test_pointers_resolve_relative_to_the_file_and_within_it(model):
    doc = model.document("kamenev-text")
    assert model.resolve("persons.xml#kamenev", doc) == ["kamenev"]
    assert model.resolve("#kamenev-self", doc) == ["kamenev-self"]
    assert model.resolve("persons.xml#nobody", doc) == []
    assert model.resolve("https://example.org/persons.xml#kamenev", doc) == []


def test_every_mention_has_a_block_anchor(model):
    keys = {(m.key, m.doc_id) for m in model.mentions}
    assert ("kamenev", "leblanc") in keys and ("kamenev", "kamenev-text") in keys
    assert all(m.anchor for m in model.mentions)
    in_note = [m for m in model.mentions_of("kamenev") if m.in_note]
    assert [m.anchor for m in in_note] == ["leblanc-note-2"]


def test_anchors_are_stable_and_unique(model):
    again = build_model(load_edition([EDITION]))
    for doc, doc2 in zip(model.texts, again.texts, strict=True):
        a = [model.anchor(b) for b in doc.blocks]
        assert a == [again.anchor(b) for b in doc2.blocks]
        assert len(a) == len(set(a))
    doc = model.document("leblanc")
    assert [model.anchor(b) for b in doc.blocks][:2] == ["p-1", "leblanc-note-1"]


def test_notes_are_numbered_as_in_the_source(model):
    notes = model.document("leblanc").notes
    assert [(n.n, n.editorial) for n in notes] == [("1", False), ("2", False), ("", True)]


def test_dates_in_order_with_both_styles(model):
    labels = [d.label for d in model.dates]
    assert labels[0] == "18 July 1883"
    assert "10 (23) October 1917" in labels
    assert labels[-1] == "1924"
    assert all(d.anchor for d in model.dates)
    osd = next(d for d in model.dates if d.julian)
    assert "Central Committee" in osd.snippet


def test_citations_come_from_notes(model):
    cites = {(c.key, c.anchor) for c in model.citations}
    assert cites == {("leblanc-lenin", "leblanc-note-1"), ("trotsky-my-life", "leblanc-note-2")}


@pytest.mark.parametrize(("when", "julian", "expected"), [
    ("1917-10-22", "1917-10-09", "9 (22) October 1917"),
    ("1917-11-13", "1917-10-31", "31 October (13 November) 1917"),
    ("1917-01-01", "1916-12-19", "19 December 1916 (1 January 1917)"),
    ("1917-03", None, "March 1917"),
    ("around then", None, "around then"),
])
def test_format_date(when, julian, expected):
    assert format_date(when, julian) == expected


def test_citation_style_is_consistent():
    from lxml import etree
    el = etree.fromstring(
        '<bibl xmlns="http://www.tei-c.org/ns/1.0"><author>A B</author><title level="a">Art</title>'
        '<title level="j">Journal</title><date>1999</date><biblScope>pp. 1-2</biblScope></bibl>')
    assert format_citation(work_parts(el)) == "A B, “Art”, in Journal (1999), pp. 1-2."


def test_dates_sort_as_years_do_bc_and_five_digit_years_included():
    from tei_edition.model import _date_sort_key

    values = ["2024-01-01", "-10000-01-01", "-0044-03-15", "0001", "1917-11", "12000"]
    assert sorted(values, key=_date_sort_key) == [
        "-10000-01-01", "-0044-03-15", "0001", "1917-11", "2024-01-01", "12000"]
    assert _date_sort_key("not a date") > _date_sort_key("12000")

"""The web edition as files: no text lost, every link resolves, nothing injectable, all pages."""

from __future__ import annotations

import csv
import json
import re

import pytest
from lxml import etree
from lxml import html as lhtml
from test_html_support import (
    FIXTURE_EDITION,
    REAL_EDITION,
    RENDER_FIXTURES,
    build,
    page_reading,
    real_edition_ready,
    walk_links,
)

from tei_edition.model import build_model
from tei_edition.reading import first_difference, original_reading, squeeze
from tei_edition.site import Site
from tei_edition.sources import load_edition

TEI = "{http://www.tei-c.org/ns/1.0}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build([FIXTURE_EDITION], tmp_path_factory.mktemp("fixture-site"))


def _pages_of(paths, site_dir):
    """(TEI <text> element, its HTML page) for every text the model found."""
    model = build_model(load_edition(paths))
    names = Site(model, site_dir).page_of
    return [(doc, site_dir / names[doc.id]) for doc in model.texts]


def assert_no_text_lost(paths, site_dir):
    pairs = _pages_of(paths, site_dir)
    assert pairs, "no text pages"
    for doc, page in pairs:
        expected = original_reading(doc.text)
        shown = page_reading(page)
        assert squeeze(expected), f"{doc.path}: empty reading"
        difference = first_difference(expected, shown)
        assert difference is None, f"{page.name}: {difference}"


def test_no_text_lost_in_the_fixture_edition(site):
    assert_no_text_lost([FIXTURE_EDITION], site)


@pytest.mark.parametrize("case", ["no-registers.xml", "corpus.xml", "letters"])
def test_foreign_tei_renders_readably_without_loss(case, tmp_path):
    path = RENDER_FIXTURES / case
    site_dir = build([path], tmp_path)
    assert_no_text_lost([path], site_dir)
    assert walk_links(site_dir) == []
    assert (site_dir / "index.html").exists()


@pytest.mark.skipif(not real_edition_ready(), reason="tei/ has no encoded text yet")
def test_no_text_lost_in_the_real_edition(tmp_path):
    site_dir = build([REAL_EDITION], tmp_path)
    assert_no_text_lost([REAL_EDITION], site_dir)
    assert walk_links(site_dir) == []


def test_every_link_resolves(site):
    assert walk_links(site) == []


def test_pages_and_downloads_exist(site):
    for name in ("index.html", "kamenev-text.html", "leblanc.html", "persons.html", "places.html",
                 "orgs.html", "works.html", "chronology.html", "bibliography.html",
                 "search.html", "about.html", "search-index.js", "assets/edition.css",
                 "assets/edition.js", "assets/search.js", "tei/text-kamenev.xml",
                 "data/persons.csv", "data/persons.json", "data/mentions.csv"):
        assert (site / name).is_file(), name


def test_html_is_well_formed_html5_with_language_and_landmarks(site):
    for page in site.glob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert raw.startswith("<!DOCTYPE HTML>"), page.name
        doc = lhtml.fromstring(raw.encode())
        assert doc.get("lang"), page.name
        assert len(doc.findall(".//main")) == 1, page.name
        assert doc.find(".//header") is not None and doc.find(".//nav") is not None
        ids = [e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")]
        assert len(ids) == len(set(ids)), f"{page.name}: duplicate ids"
        assert len(doc.findall(".//h1")) == 1, page.name


def test_no_request_leaves_the_site(site):
    for path in list(site.rglob("*.html")) + list(site.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//[^"']*\.(js|css|woff2?)""", text)
        assert "@import" not in text and "fonts.googleapis" not in text


def test_persons_sorted_by_surname_with_occurrences(site):
    doc = lhtml.fromstring((site / "persons.html").read_bytes())
    names = [h.text_content() for h in doc.findall(".//article/h2")]
    assert names.index("Lev Kamenev (1883–1936)") < names.index("Leon Trotsky (1879–1940)")
    kamenev = doc.get_element_by_id("kamenev")
    links = [a.get("href") for a in kamenev.findall(".//a[@class='occ']")]
    assert "leblanc.html?hl=kamenev#leblanc-note-2" in links
    assert "kamenev-text.html?hl=kamenev#p-2" in links
    assert "3 occurrences" in kamenev.text_content()


def test_text_page_marks_names_dates_notes(site):
    doc = lhtml.fromstring((site / "kamenev-text.html").read_bytes())
    person = doc.xpath("//a[@data-key='kamenev']")[0]
    assert person.get("href") == "persons.html#kamenev"
    pop = doc.get_element_by_id(person.get("aria-describedby"))
    assert "Moscow Soviet" in pop.text_content() and "1883–1936" in pop.text_content()
    old_style = doc.xpath("//time[contains(@class, 'old-style')]")[0]
    assert old_style.get("datetime") == "1917-10-23"
    assert "10 (23) October 1917" in doc.get_element_by_id(old_style.get("data-pop")).text_content()
    assert doc.xpath("//*[contains(@class, 'reading-src')]")[0].text_content() == "mispelled"
    notes = lhtml.fromstring((site / "leblanc.html").read_bytes())
    call = notes.get_element_by_id("leblanc-note-1-call")
    assert call.get("role") == "doc-noteref" and call.get("href") == "#leblanc-note-1"
    note = notes.get_element_by_id("leblanc-note-1")
    assert note.get("role") == "doc-footnote"
    back = note.xpath(".//a[@role='doc-backlink']")[0]
    assert back.get("href") == "#leblanc-note-1-call" and back.text_content() == "1"


def test_hostile_values_stay_text(site):
    for page in site.glob("*.html"):
        doc = lhtml.fromstring(page.read_bytes())
        assert not doc.xpath("//script[not(@src)]"), page.name
        assert not doc.xpath("//img[@onerror] | //*[@onclick] | //*[@onload]"), page.name
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("href", "src"):
                value = (el.get(attr) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), page.name
    raw = (site / "persons.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    index = (site / "search-index.js").read_text(encoding="utf-8")
    assert "</script" not in index.lower() and "<" not in index


def test_unhandled_elements_are_flagged_and_reported(tmp_path):
    from tei_edition.render import RenderOptions, render_paths

    summary = render_paths([FIXTURE_EDITION], RenderOptions(
        out_dir=tmp_path, formats=["html"], validate=False))
    assert any("unknownThing" in w for w in summary.warnings)
    doc = lhtml.fromstring((tmp_path / "html" / "leblanc.html").read_bytes())
    flagged = doc.xpath("//*[@data-tei-element='unknownThing']")[0]
    assert "te-unhandled" in flagged.get("class")
    assert flagged.text_content() == "Text inside an element nobody handles."


def test_anchors_are_the_same_in_every_build(site, tmp_path):
    again = build([FIXTURE_EDITION], tmp_path)
    for page in ("kamenev-text.html", "leblanc.html"):
        first = (site / page).read_text(encoding="utf-8")
        assert first == (again / page).read_text(encoding="utf-8")


def test_downloads_hold_the_registers_and_mentions(site):
    rows = list(csv.DictReader((site / "data" / "persons.csv").open(encoding="utf-8")))
    kamenev = next(r for r in rows if r["key"] == "kamenev")
    assert kamenev["dates"] == "1883–1936" and kamenev["occurrences"] == "3"
    data = json.loads((site / "data" / "places.json").read_text(encoding="utf-8"))
    assert data[0]["name"] == "Moscow" and data[0]["latitude"] == 55.7558
    mentions = list(csv.DictReader((site / "data" / "mentions.csv").open(encoding="utf-8")))
    assert {"entity_key": "kamenev", "document_id": "leblanc", "anchor": "leblanc-note-2",
            "in_note": "yes"}.items() <= next(
        m for m in mentions if m["entity_key"] == "kamenev" and m["document_id"] == "leblanc"
    ).items()


def test_chronology_and_bibliography(site):
    chron = lhtml.fromstring((site / "chronology.html").read_bytes())
    labels = [t.text_content() for t in chron.xpath("//table//time")]
    assert labels == ["18 July 1883", "10 (23) October 1917", "1924"]
    bib = lhtml.fromstring((site / "bibliography.html").read_bytes())
    entry = bib.get_element_by_id("leblanc-lenin")
    assert "Le Blanc, Lenin and the Revolutionary Party (Chicago: Haymarket Books, 2015)." in (
        entry.text_content())
    assert entry.xpath(".//a[@href='leblanc.html#leblanc-note-1']")


def test_about_page_takes_principles_from_the_headers(site):
    about = lhtml.fromstring((site / "about.html").read_bytes()).text_content()
    assert "Corrections are recorded with" in about
    assert "Julian calendar (Old Style)." in about


def test_tei_source_is_copied_unchanged(site):
    def canonical(path):
        return etree.tostring(etree.parse(str(path)), method="c14n")

    for name in ("persons.xml", "text-leblanc.xml"):
        assert canonical(site / "tei" / name) == canonical(FIXTURE_EDITION / name)


OUR_SCRIPTS = {"assets/edition.js", "assets/search.js", "search-index.js"}


def test_hostile_tei_cannot_inject_markup_or_script(tmp_path):
    hostile = RENDER_FIXTURES / "hostile.xml"
    site_dir = build([hostile], tmp_path)
    assert_no_text_lost([hostile], site_dir)
    assert walk_links(site_dir) == []
    for page in site_dir.glob("*.html"):
        doc = lhtml.fromstring(page.read_bytes())
        scripts = {s.get("src") for s in doc.iter("script")}
        assert scripts <= OUR_SCRIPTS, page.name
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            assert el.tag not in ("img", "iframe", "object", "embed"), page.name
            assert not [a for a in el.attrib if a.lower().startswith("on")], page.name
            lang = el.get("lang")
            assert lang is None or re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", lang)
    text = lhtml.fromstring((site_dir / "hostile.html").read_bytes())
    outside = text.xpath("//a[contains(@class, 'tei-placeName')]")[0].get("href")
    assert '"' not in outside and "<" not in outside and outside.startswith("https://example.org/")
    assert "alert('text')" in text.text_content()  # shown as text, never run


def test_the_loaded_tei_is_left_as_it_was(tmp_path):
    """Texts are annotated in place while their page is written: afterwards the trees the
    model (and the print edition) share are exactly as parsed."""
    from tei_edition.site import build_site

    edition = load_edition([FIXTURE_EDITION])
    before = [etree.tostring(s.tree) for s in edition.sources]
    build_site(build_model(edition), tmp_path)
    assert [etree.tostring(s.tree) for s in edition.sources] == before


def test_a_corpus_of_many_letters_keeps_the_navigation_short(tmp_path):
    letter = (RENDER_FIXTURES / "letters" / "letter-1.xml").read_text(encoding="utf-8")
    folder = tmp_path / "letters"
    folder.mkdir()
    for i in range(9):
        (folder / f"l{i}.xml").write_text(letter.replace("Letter 1", f"Letter {i}"))
    site_dir = build([folder], tmp_path / "out")
    home = lhtml.fromstring((site_dir / "index.html").read_bytes())
    assert len(home.xpath("//header//nav//a")) < 10
    assert len(home.xpath("//ul[@class='text-list']/li")) == 9
    assert walk_links(site_dir) == []


def test_csv_cells_cannot_become_formulas():
    from tei_edition.exports import _cell

    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _cell("-1") == "'-1" and _cell("Kamenev") == "Kamenev" and _cell(None) == ""


def test_markup_examples_are_shown_as_markup(tmp_path):
    """An egXML is drawn as the markup it quotes (tags, attributes, comments, entities as
    typed, the source's common indentation removed), and nothing in it is read as the
    edition's: no entity, no note, and a TEI quoted in it is not a document of its own."""
    fixture = RENDER_FIXTURES / "egxml-examples.xml"
    site_dir = build([fixture], tmp_path)
    assert sorted(p.name for p in site_dir.glob("egxml*.html")) == ["egxml-examples.html"]
    page = lhtml.fromstring((site_dir / "egxml-examples.html").read_bytes())
    blocks = [b.text_content() for b in page.xpath("//pre[contains(@class, 'te-example')]")]
    assert blocks == [
        '<p xml:id="p1"><persName ref="#nobody">Goethe</persName> met <persName>Schiller '
        '&amp; co</persName>\n  <note place="foot" n="5">In Jena.</note> <date '
        'when="1794-02-30">in 1794</date>.</p>\n<!-- a comment -->\n<ref '
        'target="chapter2.xml?a=1&amp;b=&quot;2&quot;">next</ref>',
        '<TEI><text><body><p xml:id="p2"><placeName>Weimar</placeName> <ptr '
        'target="#nowhere"/></p></body></text></TEI>',
    ]
    inline = page.xpath("//p//span[contains(@class, 'te-example')]")
    assert [b.text_content() for b in inline] == ["<lb/>", "<p>plain</p>"]
    article = page.find(".//article")
    assert not article.xpath(".//*[contains(@class, 'te-unhandled') or contains(@class, "
                             "'tei-persName') or contains(@class, 'tei-note')]")


def test_apparatus_sigla_are_the_witnesses_own(tmp_path):
    """A reading's witnesses are named by their sigla (witness/@n, or an abbr, idno or label
    of type "siglum"), not by their ids; a witness with neither is named by its id."""
    site_dir = build([RENDER_FIXTURES / "apparatus-sigla.xml"], tmp_path)
    page = lhtml.fromstring((site_dir / "apparatus-sigla.html").read_bytes())
    entry = page.xpath("string(//*[contains(@class, 'app-entry')])")
    assert " ".join(entry.split()) == "[excommunicatione A B; excomunicatione P]"

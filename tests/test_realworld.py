"""Other projects' TEI, as a new user would run it: small excerpts of real files
(tests/fixtures/realworld/, each naming its project, file and licence) validate with a clear
result, render with no text lost, and every family of elements is drawn as a scholar reads it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lhtml
from test_html_site import assert_no_text_lost
from test_html_support import build, page_reading

from tei_edition.cli import main
from tei_edition.reading import squeeze

REALWORLD = Path(__file__).resolve().parent / "fixtures" / "realworld"


def render(name: str, tmp_path: Path) -> Path:
    """The web edition of one fixture (no validation, as for someone else's TEI)."""
    return build([REALWORLD / name], tmp_path)


def text_page(site: Path) -> lhtml.HtmlElement:
    """The one text page of a one-text site (the page holding an <article>)."""
    pages = [p for p in site.glob("*.html") if b"edition-text" in p.read_bytes()]
    assert len(pages) == 1, pages
    return lhtml.fromstring(pages[0].read_bytes())


def entry_of(app: lhtml.HtmlElement) -> str:
    """The apparatus entry of an app as it reads, whitespace squeezed."""
    return " ".join(app.xpath("string(*[contains(@class, 'app-entry')])").split())


def unhandled(page: lhtml.HtmlElement) -> list[str]:
    return page.xpath("//*[contains(@class, 'te-unhandled')]/@data-tei-element")


def rendered_whole(name: str, tmp_path: Path) -> tuple[Path, lhtml.HtmlElement]:
    """The web edition of one fixture and its text page, every word of the source in it and
    every element drawn by a rule of its own (none by the loud fallback)."""
    site = render(name, tmp_path)
    assert_no_text_lost([REALWORLD / name], site)
    page = text_page(site)
    assert unhandled(page) == []
    return site, page


def test_a_critical_apparatus_reads_the_lemma_with_its_entry(tmp_path):
    site, page = rendered_whole("apparatus-lem-rdg-witnesses.xml", tmp_path)
    apps = page.xpath("//*[contains(@class, 'tei-app')]")
    assert len(apps) == 7
    second = apps[1]
    # The lemma in the text, then the entry: the lemma again, the variant and both sigla.
    assert second.xpath("string(*[contains(@class, 'tei-lem')])") == "excommunicatione"
    assert entry_of(second) == "[excommunicatione Aa Bc; excomunicatione P]"
    assert "app-variant" in second.xpath("string(.//*[.='excomunicatione']/@class)")
    # An empty reading is an omission, an empty lemma is shown as one too.
    assert entry_of(apps[0]) == "[Quidam Aa Bc; om. P]"
    assert entry_of(apps[5]) == "[om. Aa Bc; infra P]"
    # The source's reading keeps each word once: the repeated lemma and the sigla are "ed".
    reading = squeeze(page_reading(next(site.glob("apparatus*.html"))))
    assert reading.count("excommunicatione") == 1
    # The witnesses are a list, one entry each.
    witnesses = "//ul[contains(@class, 'tei-listWit')]/li[contains(@class, 'tei-witness')]"
    assert len(page.xpath(witnesses)) == 3


def test_the_apparatus_prints_in_the_pdf(tmp_path):
    from pypdf import PdfReader

    from tei_edition.render import RenderOptions, render_paths

    render_paths([REALWORLD / "apparatus-lem-rdg-witnesses.xml"],
                 RenderOptions(out_dir=tmp_path, formats=["pdf"], validate=False))
    pdfs = list((tmp_path / "pdf").glob("*.pdf"))
    assert pdfs
    pages = PdfReader(pdfs[0]).pages
    text = squeeze("".join(p.extract_text() for p in pages)).replace("\u2010", "")
    # The lemma in the text with its letter, the entry at the foot of the page, as a critical
    # apparatus stands: the lemma again with its sigla, then each variant with its own.
    for words in ("Quidamainexcommunicationebconstitutus", "aQuidamAaBc;om.P",
                  "bexcommunicationeAaBc;excomunicationeP", "fom.AaBc;infraP",
                  "Barcelona,ArxiudelaCoronad'Aragó"):
        assert words in text
    assert "[excommunicatione" not in text


def test_a_tei_holding_tei_documents_renders_each_of_them(tmp_path):
    site = render("tei-nested-in-tei.xml", tmp_path)
    assert_no_text_lost([REALWORLD / "tei-nested-in-tei.xml"], site)
    shown = " ".join(p.read_text(encoding="utf-8") for p in site.glob("*.html"))
    assert "In the first corpus" in shown and "In the second corpus" in shown


def test_drama_cast_list_and_stand_off_are_drawn(tmp_path):
    site, page = rendered_whole("drama-castlist-standoff.xml", tmp_path)
    assert page.xpath("//ul[contains(@class, 'tei-castList')]"
                      "/li[contains(@class, 'tei-castGroup')]")
    group = page.xpath("//li[contains(@class, 'tei-castGroup')]")[0]
    assert len(group.xpath("*[contains(@class, 'line')]")) == 3  # two roles and their description
    standoff = page.xpath("//section[contains(@class, 'tei-standOff')]")[0]
    assert "Дата первой публикации: 1836" in standoff.text_content()
    assert "wikidata: https://dracor.org/entity/test000001 →" in standoff.text_content()
    # The byline names the author once, without the authority record's id.
    assert page.xpath("string(//p[@class='byline'])") == "Николай Васильевич Гоголь"
    assert page.xpath("//p[contains(@class, 'tei-speaker')]")


def test_a_transcription_shows_its_additions_titlepage_and_gloss_list(tmp_path):
    site, page = rendered_whole("transcription-add-del-titlepage.xml", tmp_path)
    assert page.xpath("//del[contains(@class, 'tei-del')]")
    assert len(page.xpath("//*[contains(@class, 'tei-add')]")) == 4
    assert page.xpath("//*[contains(@class, 'tei-unclear')]")
    assert page.xpath("//*[contains(@class, 'tei-gap')]")
    # "by Charles Dickens." is one line: the docAuthor runs on in its byline.
    byline = page.xpath("//p[contains(@class, 'tei-byline')]")[0]
    assert " ".join(byline.text_content().split()) == "by Charles Dickens."
    assert not byline.xpath(".//*[contains(@class, 'as-block')]")
    # label/item pairs are a description list.
    dl = page.xpath("//dl")[0]
    assert [el.tag for el in dl] == ["dt", "dd", "dt", "dd"]
    assert dl[0].text_content() == "Stave I" and dl[1].text_content() == "Marley's ghost"


def test_the_stylesheets_render_without_processor_warnings(tmp_path):
    # foreign and signed each matched two templates: Saxon printed XTDE0540 on stderr.
    run = subprocess.run(
        ["tei-edition", "render", "--no-validate", "--format", "html", "-q",
         str(REALWORLD / "transcription-add-del-titlepage.xml"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "XTDE0540" not in run.stderr and "Ambiguous" not in run.stderr


def test_dictionary_entries_read_as_a_dictionary(tmp_path):
    site, page = rendered_whole("dictionary-entries.xml", tmp_path)
    headwords = [b.text for b in page.xpath("//b[contains(@class, 'tei-orth')]")]
    assert headwords == ["homograph1", "homograph2", "homograph1"]
    assert page.xpath("//i[contains(@class, 'tei-pos')]")
    assert len(page.xpath("//div[contains(@class, 'tei-entry')]")) == 2


@pytest.mark.parametrize("name", ["apparatus-lem-rdg-witnesses.xml", "drama-castlist-standoff.xml",
                                  "transcription-add-del-titlepage.xml", "tei-nested-in-tei.xml",
                                  "dictionary-entries.xml"])
def test_real_tei_passes_validate_without_the_customisation(name):
    result = CliRunner().invoke(main, ["validate", "--no-customisation", str(REALWORLD / name)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_the_apparatus_is_valid_tei_all(tei_all):
    result = CliRunner().invoke(main, ["validate", "--no-customisation", "--schema", str(tei_all),
                                       str(REALWORLD / "apparatus-lem-rdg-witnesses.xml")])
    assert result.exit_code == 0, result.output


def test_tei_p4_is_named_as_such():
    p4 = REALWORLD / "p4-no-namespace.xml"
    result = CliRunner().invoke(main, ["validate", "--no-customisation", str(p4)])
    assert result.exit_code == 1
    assert "TEI P4" in result.output and "p4top5" in result.output
    assert "Traceback" not in result.output


def test_a_manuscript_description_and_a_header_listwit_are_readable(tmp_path):
    page = text_page(render("msdesc-catalogue-record.xml", tmp_path / "ms"))
    paragraphs = page.xpath("//div[@class='source-desc']//p")
    lines = [" ".join(p.text_content().split()) for p in paragraphs]
    assert lines[0] == ("United Kingdom, Oxfordshire, Oxford, University of Oxford, "
                        "Bodleian Library, MS. Add. A. 10, 24731")
    assert "Physical description: three parts; parchment" in lines
    assert "History: 13th century, second half to 14th century, late" in lines
    page = text_page(render("apparatus-listwit-in-header.xml", tmp_path / "app"))
    witnesses = page.xpath("//div[@class='source-desc']//li[contains(@class, 'tei-witness')]")
    # Each witness opens with the siglum the apparatus cites it by.
    assert [" ".join(w.text_content().split()) for w in witnesses] == [
        "fr Les Mystères de Paris", "gp The Mysteries of Paris, George Peirce"]
    assert unhandled(page) == []


# --------------------------------------------------------------------------------------------
# Conventions of other projects' TEI: lineation, numbered divisions, the signs of an edition


def reading_of(page: lhtml.HtmlElement) -> str:
    """The article's words as a reader sees them, whitespace squeezed to single spaces."""
    return " ".join(page.xpath("string(//article)").split())


def test_lineation_numbers_and_a_word_broken_across_lines(tmp_path):
    site, page = rendered_whole("papyrus-lineation-epidoc.xml", tmp_path)
    # The word broken at a line end joins ("con-" / "ditum"), the line still breaks.
    hyphen = page.xpath("//*[contains(@class, 'lb-hyphen')]")[0]
    assert hyphen.text == "-" and "ed" in hyphen.get("class").split()
    assert hyphen.getnext().tag == "br"
    assert "con-5ditum" in reading_of(page)  # the hyphen and line 5's number are the edition's
    source_reading = " ".join(page_reading(next(site.glob("papyrus*.html"))).split())
    assert "et vinum conditum misi" in source_reading
    # Every fifth line is numbered, and the numbered sides are headed by their number.
    assert [n.text for n in page.xpath("//*[contains(@class, 'line-n')]")] == ["5"]
    assert [p.text for p in page.xpath("//p[contains(@class, 'div-label')]")] == ["Recto r",
                                                                                   "Verso v"]


def test_the_signs_of_the_edition_are_shown(tmp_path):
    page = text_page(render("papyrus-lineation-epidoc.xml", tmp_path))
    words = reading_of(page)
    # A described gap keeps its description, a change of hand and the glyphs are not dropped:
    # the declared one by its mapping, the undeclared one by its name.
    assert "[… two lines washed out]" in words
    assert "[hand m2] scripsi" in words
    assert "⳨" in words and "[chirho]" in words
    ex = page.xpath("//*[contains(@class, 'tei-ex')]")[0]
    assert ex.text_content() == "ilibres"
    assert "Expansion" in page.xpath("string(//*[@id = $id])", id=ex.get("data-pop"))


def test_numbered_poems_and_verse_lines(tmp_path):
    site, page = rendered_whole("verse-poems-numbered.xml", tmp_path)
    assert [p.text for p in page.xpath("//p[contains(@class, 'div-label')]")] == ["Poem 1",
                                                                                   "Poem 5"]
    numbered = page.xpath("//*[contains(@class, 'tei-l')][*[contains(@class, 'line-n')]]")
    assert [line.xpath("string(*[contains(@class, 'line-n')])") for line in numbered] == ["5"]
    assert numbered[0].text_content().endswith("nobis cum semel occidit brevis lux,")


def test_quotation_marks_are_added_only_where_the_encoder_left_them_out(tmp_path):
    site, page = rendered_whole("speech-lists-notes.xml", tmp_path)
    # HTML's q draws the marks of the reader's language; indirect speech has none.
    assert [q.text_content() for q in page.xpath("//article//q")] == ["Bah!", "Humbug!",
                                                                       "nonsense"]
    assert page.xpath("//article//span[contains(@class, 'tei-said')]/text()") == [
        "that it was not"]


def test_this_editions_quotations_keep_their_own_marks(tmp_path):
    """Le Blanc's quotations hold their marks as text: none are added."""
    from test_html_support import REAL_EDITION

    site = build([REAL_EDITION], tmp_path)
    page = lhtml.fromstring(next(site.glob("leblanc*.html")).read_bytes())
    assert page.xpath("//article//*[contains(@class, 'tei-quote')]")
    assert page.xpath("//article//q") == []


def test_lists_inside_a_paragraph_stay_lists(tmp_path):
    page = text_page(render("speech-lists-notes.xml", tmp_path))
    numbered = page.xpath("//span[contains(@class, 'tei-list')][contains(@class, 'ordered')]")
    assert len(numbered) == 1
    assert [i.text_content() for i in numbered[0].xpath("*[contains(@class, 'tei-item')]")] == [
        "dogs", "zebras", "birds"]
    gloss = page.xpath("//span[contains(@class, 'tei-list') and contains(@class, 'type-gloss')]")
    assert [el.get("class").split()[0] for el in gloss[0]] == ["tei-label", "tei-item",
                                                               "tei-label", "tei-item"]


def test_notes_read_in_place_take_no_number(tmp_path):
    """Footnotes are numbered 1, 2 whatever notes the source has in place between them, and
    the notes in place are read in place (on the web as in print)."""
    page = text_page(render("speech-lists-notes.xml", tmp_path))
    assert [s.text_content() for s in page.xpath("//a[@role='doc-noteref']")] == ["1", "2"]
    inline = page.xpath("//*[contains(@class, 'note-inline')]")
    assert [n.text_content() for n in inline] == ["an unplaced note", "a marginal note"]


def test_manuscript_statements_read_whole(tmp_path):
    page = text_page(render("manuscript-statements.xml", tmp_path))
    lines = [" ".join(p.text_content().split())
             for p in page.xpath("//div[@class='source-desc']//p")]
    assert ("Physical description: Parchment; 76 fols. 220 × 150 mm (leaf); Written with "
            "calligraphic flourishes by Vincentius Marun at the college of St. Martial, in "
            "Avignon (see Pächt and Alexander i. 671).") in lines


def test_empty_headings_have_no_contents_entry(tmp_path):
    page = text_page(render("manuscript-statements.xml", tmp_path))
    entries = [a.text_content() for a in page.xpath("//nav//li/a")]
    assert "Erster Auftritt" in entries and "" not in entries


def test_a_document_of_bibliography_alone_is_a_text(tmp_path):
    name = "bibliography-only-text.xml"
    site = render(name, tmp_path)
    assert_no_text_lost([REALWORLD / name], site)
    assert "Grohmann, P.Cair.Arab. 38" in reading_of(text_page(site))


def test_a_pointer_to_a_division_names_its_heading(tmp_path):
    page = text_page(render("speech-lists-notes.xml", tmp_path))
    assert "For the lists, see (see “Lists”)." in reading_of(page)


def test_a_witness_whose_words_hold_its_siglum_gets_no_second_one(tmp_path):
    page = text_page(render("apparatus-lem-rdg-witnesses.xml", tmp_path))
    witnesses = page.xpath("//li[contains(@class, 'tei-witness')]")
    assert " ".join(witnesses[0].text_content().split()).startswith("Aa = Admont")
    assert page.xpath("//*[contains(@class, 'witness-siglum')]") == []


def test_spoken_tei_reads_as_a_record_of_speech(tmp_path):
    site, page = rendered_whole("parliament-utterances.xml", tmp_path)
    speakers = [" ".join(p.text_content().split())
                for p in page.xpath("//article//p[contains(@class, 'tei-speaker')]")]
    # The speaker note heads the first utterance; the second is headed by its @who's person.
    assert speakers == ["Präsident Dr. Heinz Fischer", "Ludmilla Parfuss"]
    words = reading_of(page)
    assert "eröffnen. (Allgemeiner Beifall.) (Der Bundespräsident" in words
    assert "[vocal: laughter]" in words
    assert "[… Front matter removed / Titelseite entfernt]" in words

"""The print edition (tei_edition.pdf): the PDFs are read back with pdfplumber and pypdf and
checked against the TEI and the model, never against a stored copy of the output.

- fidelity: every character of each text's original reading is in the PDF's text layer
  (whitespace-blind; the typesetter's hyphenation, always U+2010 at a line end, is undone);
- footnotes: each note is on the page of its call, below the body text, and begins with its
  number as in the source (or its editorial letter);
- index: each page number listed for a person or place is a link to that page, and that page
  names the entry; every page that names it is listed;
- metadata, outline, language, tagging, paper size; TEI we did not write; hostile input.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from lxml import etree

from tei_edition import TEI_NS
from tei_edition.errors import BuildError, UsageError
from tei_edition.model import build_model
from tei_edition.pdf import print_books, render_pdf
from tei_edition.print_model import build_book, index_name, plan_books
from tei_edition.reading import original_reading
from tei_edition.sources import load_edition

T = f"{{{TEI_NS}}}"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EDITION = FIXTURES / "render" / "edition"
PDF_FIXTURES = FIXTURES / "pdf"
TYPESET_HYPHEN = "\u2010"

# Elements at whose edges the print edition may put other text (a footnote, brackets, a
# list bullet), so that the text of the source is compared piece by piece between them.
BOUNDARIES = {f"{T}{n}" for n in (
    "note", "choice", "sic", "orig", "abbr", "corr", "reg", "expan", "supplied", "ex", "pb",
    "gap", "ptr", "head", "lb", "cb", "milestone", "item", "cell", "row", "label",
    # The edition's signs stand at these: ` ´ around an addition, ? after an unclear word, a
    # change of hand, a glyph's name, a division's number, a line's number, quotation marks.
    "add", "unclear", "handShift", "g", "div", "l", "q", "said", "quote",
)}
EDITORIAL = {f"{T}{n}" for n in ("corr", "reg", "expan", "supplied", "ex")}
CUT = object()


# --------------------------------------------------------------------------------------------
# Reading the TEI: the original reading cut into the pieces that must appear whole


def reading_pieces(text: etree._Element) -> list[str]:
    """The original reading of ``text`` (reading.original_reading) as whitespace-free pieces.

    The walk mirrors reading.original_reading and proves it: joined back together, with the
    note calls it reads as "[n]", the pieces are exactly that reading.
    """
    out: list[object] = []
    notes: list[etree._Element] = []

    def editorial(el: etree._Element) -> bool:
        return el.tag in EDITORIAL or (el.tag == f"{T}note" and el.get("type") == "editorial")

    def moved(el: etree._Element) -> bool:
        return (el.tag == f"{T}note" and el.get("place") in ("foot", "end", "bottom")
                and not editorial(el))

    def collect(el: etree._Element) -> None:
        if el.text:
            out.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                if editorial(child):
                    out.append(CUT)
                elif moved(child):
                    notes.append(child)
                    out.extend((CUT, ("call", f"[{child.get('n', '')}]"), CUT))
                elif child.tag in BOUNDARIES:
                    out.append(CUT)
                    collect(child)
                    out.append(CUT)
                else:
                    collect(child)
            if child.tail:
                out.append(child.tail)

    collect(text)
    index = 0
    while index < len(notes):
        note = notes[index]
        out.extend((CUT, ("call", f"\n[{note.get('n', '')}] "), CUT))
        collect(note)
        index += 1
    rebuilt = "".join(x if isinstance(x, str) else x[1] for x in out if x is not CUT)
    assert rebuilt == original_reading(text), "the test's walk no longer mirrors reading.py"
    pieces: list[str] = []
    current: list[str] = []
    for item in out + [CUT]:
        if isinstance(item, str):
            current.append(item)
        elif current:
            pieces.append(squeeze("".join(current)))
            current = []
    return [p for p in pieces if p]


def edition_reading(el: etree._Element) -> str:
    """The text of an element as the edition prints it: corrections in, source readings out."""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in {f"{T}sic", f"{T}orig", f"{T}note"}:
                walk(child)
            if child.tail:
                out.append(child.tail)

    walk(el)
    return "".join(out)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------------------------
# Reading the PDF


def page_regions(page) -> tuple[str, str]:
    """(body text, footnote text) of a page: running heads and page numbers left out.

    The footnote area is what lies below the footnote rule; the rule is the top edge of the
    filled rectangle WeasyPrint draws for the @footnote border.
    """
    height = page.height
    top_band, bottom_band = 62, height - 66  # the running head and the folio live outside
    rule = _footnote_rule(page)
    body_bottom = rule if rule is not None else bottom_band
    body = page.crop((0, top_band, page.width, body_bottom), strict=False)
    text_body = body.extract_text() or ""
    text_foot = ""
    if rule is not None:
        foot = page.crop((0, rule, page.width, bottom_band), strict=False)
        text_foot = foot.extract_text() or ""
    return text_body, text_foot


def _footnote_rule(page) -> float | None:
    tops = [r["top"] for r in page.rects
            if r["width"] > page.width * 0.5 and r.get("fill") and r["top"] > page.height * 0.2]
    return min(tops) if tops else None


def dehyphenate(text: str) -> str:
    return re.sub(TYPESET_HYPHEN + r"\s*\n", "", text)


def streams(path: Path) -> tuple[str, str]:
    """The body text and the footnote text of a whole PDF, squeezed and dehyphenated."""
    bodies, feet = [], []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            body, foot = page_regions(page)
            bodies.append(body)
            feet.append(foot)
    return squeeze(dehyphenate("\n".join(bodies))), squeeze(dehyphenate("\n".join(feet)))


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [squeeze(dehyphenate(p.extract_text() or "")) for p in pdf.pages]


def destinations(reader: pypdf.PdfReader) -> dict[str, tuple[int, float]]:
    """Named destination → (page index, top in PDF coordinates)."""
    found = {}
    for name, dest in reader.named_destinations.items():
        found[str(name)] = (reader.get_destination_page_number(dest), float(dest.top or 0))
    return found


def links(reader: pypdf.PdfReader) -> list[tuple[int, str, list[float]]]:
    """Every internal link: (page index, destination name, rect)."""
    found = []
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                dest = annot["/Dest"]
                name = dest.decode() if isinstance(dest, bytes) else str(dest)
                found.append((number, name, [float(v) for v in annot["/Rect"]]))
    return found


# --------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def edition_model():
    return build_model(load_edition([EDITION]))


@pytest.fixture(scope="module")
def printed(edition_model, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    messages: list[str] = []
    books = print_books(edition_model, out, "a4", messages.append)
    return {b.path.name: b for b in books}, messages, out


def text_docs(model):
    return [d for d in model.texts]


# --------------------------------------------------------------------------------------------
# Tests: files, metadata, outline


def test_writes_the_edition_and_one_pdf_per_text(printed, edition_model):
    books, messages, out = printed
    names = [d.slug + ".pdf" for d in edition_model.texts]
    assert set(books) == {"edition.pdf", *names}
    assert all(b.path.read_bytes().startswith(b"%PDF-") for b in books.values())
    assert any(m.startswith("pdf: edition.pdf: ") for m in messages)


def test_render_pdf_returns_the_paths(edition_model, tmp_path):
    paths = render_pdf(edition_model, tmp_path / "pdf", "a4")
    assert [p.name for p in paths][0] == "edition.pdf"
    assert all(p.parent == tmp_path / "pdf" and p.is_file() for p in paths)


def test_metadata_language_and_tags(printed):
    books, _, _ = printed
    reader = pypdf.PdfReader(books["edition.pdf"].path)
    meta = reader.metadata
    assert meta.title == "A Test Edition"
    assert meta.author == "Ada Editor"
    assert "Lev Kamenev" in meta.subject and "Bolshevik tradition" in meta.subject
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root  # tagged PDF
    text = reader.pages[0].extract_text()
    assert "A Test Edition" in text and "Ada Editor" in text and "2026" in text


def test_outline_mirrors_the_contents(printed):
    books, _, _ = printed
    path = books["edition.pdf"].path
    reader = pypdf.PdfReader(path)

    def titles(items, level=1):
        for item in items:
            if isinstance(item, list):
                yield from titles(item, level + 1)
            else:
                yield level, item.title

    outline = list(titles(reader.outline))
    top = [t for level, t in outline if level == 1]
    assert top == ["Introduction", "Editorial principles", "Lev Kamenev",
                   "Trotsky, Krupskaya and the Bolshevik tradition", "Index of persons",
                   "Index of places", "Bibliography"]
    # The contents page lists the same entries, each with the page its bookmark goes to.
    contents = reader.pages[1].extract_text()
    for item in reader.outline:
        if isinstance(item, list):
            continue
        page = reader.get_destination_page_number(item) + 1
        assert re.search(re.escape(item.title) + r"[ .]*" + str(page) + r"\b", contents), item.title


def test_title_page_and_openings_have_no_running_head(printed):
    books, _, _ = printed
    with pdfplumber.open(books["edition.pdf"].path) as pdf:
        first = pdf.pages[0]
        assert not [c for c in first.chars if c["top"] > first.height - 66]  # no folio
        for page in pdf.pages[2:]:
            heads = "".join(c["text"] for c in page.chars if c["top"] < 62)
            # every part opens a page: no running head there (string-set first-except)
            assert heads == "", heads
            folio = "".join(c["text"] for c in page.chars if c["top"] > page.height - 66)
            assert folio == str(page.page_number)


def test_paper_letter(edition_model, tmp_path):
    paths = render_pdf(edition_model, tmp_path, "letter")
    box = pypdf.PdfReader(paths[0]).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_unknown_paper_and_nothing_to_print(edition_model, tmp_path):
    with pytest.raises(UsageError):
        render_pdf(edition_model, tmp_path, "a3")
    with pytest.raises(BuildError):
        render_pdf(build_model(load_edition([EDITION / "persons.xml"])), tmp_path, "a4")


# --------------------------------------------------------------------------------------------
# Tests: fidelity, footnotes, index


def assert_reading_in(path: Path, texts) -> None:
    body, feet = streams(path)
    for doc in texts:
        pieces = reading_pieces(doc.text)
        assert pieces, doc.id
        missing = [p for p in pieces if p not in body and p not in feet]
        assert not missing, f"{path.name}: {doc.id}: not in the PDF: {missing[:3]}"


def test_every_character_of_the_reading_is_printed(printed, edition_model):
    books, _, _ = printed
    assert_reading_in(books["edition.pdf"].path, edition_model.texts)
    for doc in edition_model.texts:
        assert_reading_in(books[doc.slug + ".pdf"].path, [doc])


def test_corrections_print_the_corrected_reading_and_the_source_in_a_note(printed):
    books, _, _ = printed
    body, feet = streams(books["edition.pdf"].path)
    assert "misspelled" in body
    assert "Corrected;thesourcereadsmispelled" in feet


def assert_footnotes_in_place(path: Path, model, docs) -> int:
    reader = pypdf.PdfReader(path)
    dests = destinations(reader)
    calls: dict[str, set[int]] = {}
    for page, name, _ in links(reader):
        calls.setdefault(name, set()).add(page)
    checked = 0
    with pdfplumber.open(path) as pdf:
        for doc in docs:
            for note in doc.notes:
                if nested(note):
                    continue  # printed inside its note, in brackets (no footnote of a footnote)
                note_id = f"{doc.slug}--{note.anchor}"
                call_id = f"{doc.slug}--{note.call_anchor}"
                assert note_id in dests and call_id in dests, note_id
                note_page, note_top = dests[note_id]
                call_page, _ = dests[call_id]
                assert note_page == call_page, (
                    f"{note_id}: note on page {note_page + 1}, call on {call_page + 1}")
                assert call_page in calls[note_id]  # the call is a link to the note
                page = pdf.pages[note_page]
                y = page.height - note_top  # pdfplumber measures from the top
                body_chars = [c for c in page.chars if c["size"] >= 9.5 and c["top"] > 62
                              and c["bottom"] < page.height - 66]
                assert body_chars and max(c["bottom"] for c in body_chars) <= y + 1, note_id
                line = page.crop((0, y - 1, page.width, y + 11), strict=False).extract_text()
                mark = note.n if not note.editorial else None
                expected = squeeze(" ".join(note.element.itertext()))[:12]
                got = squeeze(line or "")
                if mark:
                    assert got.startswith(mark), (note_id, got)
                assert expected[:6] in got, (note_id, expected, got)
                checked += 1
    return checked


def test_footnotes_stand_on_the_page_of_their_call(printed, edition_model):
    books, _, _ = printed
    checked = assert_footnotes_in_place(books["edition.pdf"].path, edition_model,
                                        edition_model.texts)
    assert checked == footnotes_of(edition_model.texts) >= 3


def nested(note) -> bool:
    """A note inside a note."""
    return any(a.tag == f"{T}note" for a in note.element.iterancestors())


def footnotes_of(docs) -> int:
    return sum(1 for d in docs for n in d.notes if not nested(n))


def index_entries(path: Path, title: str) -> str:
    """The squeezed text of an index part, column by column."""
    with pdfplumber.open(path) as pdf:
        chunks = []
        inside = False
        for page in pdf.pages:
            text = page.extract_text() or ""
            if text.lstrip().startswith(title):
                inside = True
            elif inside and re.match(r"\s*(Index of|Bibliography)", text):
                break
            if inside:
                half = page.width / 2
                bottom = page.height - 66
                for box in ((0, 62, half, bottom), (half, 62, page.width, bottom)):
                    chunks.append(page.crop(box).extract_text() or "")
    return squeeze("\n".join(chunks))


def assert_index_true(path: Path, model, docs, kind: str, title: str) -> int:
    texts = page_texts(path)
    dests = destinations(pypdf.PdfReader(path))
    index = index_entries(path, title)
    scope = {d.id for d in docs}
    book = next(b for b in plan_books(model) if b.filename == path.name)
    _, by_key = build_book(model, book)
    mention_ids = {k: [m for ids in v.values() for m in ids] for k, v in by_key.items()}
    checked = 0
    for entry in model.entries_of(kind):
        mentions = [m for m in model.mentions_of(entry.key) if m.doc_id in scope]
        if not mentions:
            continue
        label = squeeze(index_name(entry)) + (f"({squeeze(entry.dates)})" if entry.dates else "")
        found = re.search(re.escape(label) + r"(\d+(?:,\d+)*)", index)
        assert found, f"{label} not in the index"
        listed = [int(n) for n in found.group(1).split(",")]
        names = {squeeze(original_reading(m.element)) for m in mentions} | {
            squeeze(edition_reading(m.element)) for m in mentions}
        # A name may hold a correction, whose call then stands inside it: its pieces.
        pieces = [reading_pieces(m.element) for m in mentions]
        for number in listed:
            page = texts[number - 1]
            assert any(n in page for n in names) or any(
                all(p in page for p in parts) for parts in pieces if parts
            ), f"{label}: p. {number} names none of {names}"
        # Every page naming the entry is listed: the pages its mention anchors fell on.
        expected = {dests[mid][0] + 1 for mid in mention_ids.get(entry.key, [])}
        assert set(listed) == expected, f"{label}: listed {listed}, mentioned on {sorted(expected)}"
        assert listed == sorted(set(listed)), f"{label}: pages repeated or out of order: {listed}"
        checked += 1
    return checked


def test_index_of_persons_gives_true_pages(printed, edition_model):
    books, _, _ = printed
    path = books["edition.pdf"].path
    assert assert_index_true(path, edition_model, edition_model.texts + edition_model.front,
                             "person", "Index of persons") >= 3
    assert assert_index_true(path, edition_model, edition_model.texts + edition_model.front,
                             "place", "Index of places") >= 1


def test_index_numbers_are_links_to_their_page(printed):
    books, _, _ = printed
    path = books["edition.pdf"].path
    reader = pypdf.PdfReader(path)
    dests = destinations(reader)
    checked = 0
    with pdfplumber.open(path) as pdf:
        for page_index, name, rect in links(reader):
            if "--m-" not in name:
                continue
            page = pdf.pages[page_index]
            x0, x1 = sorted(rect[0::2])
            y0, y1 = sorted(rect[1::2])
            top, bottom = page.height - y1, page.height - y0
            shown = "".join(c["text"] for c in page.chars
                            if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                            and top <= (c["top"] + c["bottom"]) / 2 <= bottom)
            assert shown == str(dests[name][0] + 1), (name, shown)
            checked += 1
    assert checked >= 5


def test_per_text_pdf_has_its_own_index(printed, edition_model):
    books, _, _ = printed
    leblanc = edition_model.document("leblanc")
    path = books["leblanc.pdf"].path
    assert assert_index_true(path, edition_model, [leblanc], "person", "Index of persons") >= 2
    assert assert_footnotes_in_place(path, edition_model, [leblanc]) == len(leblanc.notes)


def test_unhandled_elements_are_reported_and_printed(printed):
    books, messages, _ = printed
    assert any("<unknownThing>" in m and m.startswith("warning:") for m in messages)
    # Once per book that prints it (the edition's and Le Blanc's), however often laid out.
    assert "warning: pdf: no print rule for <unknownThing> (2×): printed as plain text" in messages
    body, _ = streams(books["leblanc.pdf"].path)
    assert "Textinsideanelementnobodyhandles." in body


# --------------------------------------------------------------------------------------------
# TEI we did not write


@pytest.mark.parametrize("name", ["no-registers.xml", "corpus.xml", "letters"])
def test_other_peoples_tei_prints_without_loss(name, tmp_path):
    model = build_model(load_edition([FIXTURES / "render" / name]))
    paths = render_pdf(model, tmp_path, "a4")
    assert paths
    assert_reading_in(paths[0], model.texts)
    texts = page_texts(paths[0])
    assert not any(t.startswith("Indexofpersons") for t in texts)


CONVENTIONS = ["papyrus-lineation-epidoc.xml", "speech-lists-notes.xml",
               "manuscript-statements.xml", "verse-poems-numbered.xml"]


@pytest.fixture(scope="module")
def conventions(tmp_path_factory):
    """Other projects' conventions (tests/fixtures/realworld/) printed: each text's PDF as
    pypdf reads it, and the run's messages."""
    out = tmp_path_factory.mktemp("conventions")
    model = build_model(load_edition([FIXTURES / "realworld" / n for n in CONVENTIONS]))
    said: list[str] = []
    books = print_books(model, out, "a4", progress=said.append)
    texts = {b.path.name: "\n".join(p.extract_text() for p in pypdf.PdfReader(b.path).pages)
             for b in books}
    laid_out = {}  # as pdfplumber reads it, in the order of the lines on the page
    for book in books:
        with pdfplumber.open(book.path) as pdf:
            laid_out[book.path.name] = "\n".join(p.extract_text() or "" for p in pdf.pages)
    return texts, said, model, books, laid_out


def test_the_signs_of_an_edition_print_as_the_conventions_have_them(conventions):
    texts, said, model, books, _ = conventions
    papyrus = texts["papyrus-lineation-epidoc.pdf"]
    # The edition's reading with its note, the source's abbreviation with its expansion, the
    # expanded letters in round brackets and supplied words in square ones (Leiden).
    assert "accepi a pueroa b(ilibres) duodecim" in papyrus
    assert "a Regularised; the source reads poero." in papyrus
    assert "per Tafs.b et" in papyrus and "b Abbreviation of Taf(surem)." in papyrus
    assert "a [civitate] per" in papyrus
    # An addition, an unclear word, a described gap, a change of hand.
    assert "`hordeum´ et vinum? [… two lines washed out]" in papyrus
    assert "[hand m2] scripsi ego" in papyrus
    # The word broken across lines: two lines, the second numbered 5.
    assert "et vinum con-\nditum misi" in papyrus
    assert re.search(r"\b5\b", papyrus)
    for book in books:
        assert_reading_in(book.path, [d for d in model.texts if d.path in str(book.path)
                                      or book.path.stem in d.id])


def test_a_character_no_font_has_keeps_the_text_readable(conventions):
    """⳨ is in no installed font: it prints as a box, is named in a warning, and every word
    of the body type stays in the text layer as pypdf reads it."""
    texts, said, *_ = conventions
    assert "scripsi ego ⳨ [chirho]" in texts["papyrus-lineation-epidoc.pdf"]
    assert any("no installed font has ⳨ (U+2CE8)" in line for line in said)


def test_speech_lists_and_notes_in_place_print_as_on_the_web(conventions):
    speech = conventions[4]["speech-lists-notes.pdf"]
    assert "“Bah!” said Scrooge, “Humbug!” And he called it “nonsense”" in speech
    assert "said that it was" in speech and "“that it was" not in speech
    assert "1. dogs\n2. zebras\n3. birds" in speech
    assert "A list heading\n• one\n• two" in speech
    assert "One [an unplaced note] two1 three [a marginal note] four2." in speech
    assert "1 first footnote\n2 second footnote" in speech


def test_sources_statements_and_contents_print_whole(conventions):
    record = conventions[0]["manuscript-statements.pdf"]
    assert "The catalogue record, digital" in record
    assert "Summary Catalogue (Clarendon Press, 1895)" in record
    assert ("Physical description: Parchment; 76 fols. 220 × 150 mm (leaf); Written with "
            "calligraphic flourishes by") in record
    contents = record.split("Contents", 1)[1].split("Vita sancti Martialis", 2)[1]
    assert "Erster Auftritt" in contents.split("\n")[1] and "[p. 4]" not in contents.split("\n")[1]


def test_verse_lines_are_not_indented(conventions):
    books = conventions[3]
    path = next(b.path for b in books if b.path.name == "verse-poems-numbered.pdf")
    with pdfplumber.open(path) as pdf:
        lines = [line for page in pdf.pages for line in page.extract_text_lines()
                 if line["text"].startswith(("Vivamus", "rumoresque", "omnes", "soles"))]
    assert len(lines) == 4 and len({round(line["x0"]) for line in lines}) == 1


def test_hostile_links_are_not_followed(tmp_path):
    model = build_model(load_edition([PDF_FIXTURES / "hostile-links.xml"]))
    paths = render_pdf(model, tmp_path, "a4")
    reader = pypdf.PdfReader(paths[0])
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    assert uris == ["https://example.org/ok"]
    body, feet = streams(paths[0])
    assert "root:x:0" not in body + feet
    assert_reading_in(paths[0], model.texts)


def test_footnotes_numbered_as_in_the_source(tmp_path):
    """Notes numbered 7, 8, 12 print as 7, 8, 12, each on the page of its call, over pages."""
    model = build_model(load_edition([PDF_FIXTURES / "long-notes.xml"]))
    paths = render_pdf(model, tmp_path, "a4")
    doc = model.texts[0]
    assert [n.n for n in doc.notes if not n.editorial] == ["7", "8", "12", "13", "14", "15"]
    assert assert_footnotes_in_place(paths[0], model, [doc]) == footnotes_of([doc]) == 7
    assert pypdf.PdfReader(paths[0]).get_num_pages() >= 4
    _, feet = streams(paths[0])
    assert "p.101[a:Anoteinanote.]." in feet  # a note in a note: in place, in brackets
    assert_reading_in(paths[0], model.texts)


def test_books_are_planned_from_the_model(edition_model):
    books = plan_books(edition_model)
    assert [b.filename for b in books] == ["edition.pdf", "kamenev-text.pdf", "leblanc.pdf"]
    assert books[0].title == "A Test Edition"
    assert books[0].responsible == [("Edited by", "Ada Editor")]
    assert books[2].responsible == [("by", "Paul Le Blanc")]


def test_running_heads_author_left_title_right(tmp_path):
    model = build_model(load_edition([PDF_FIXTURES / "long-notes.xml"]))
    paths = render_pdf(model, tmp_path, "a4")
    with pdfplumber.open(paths[0]) as pdf:
        heads = {}
        for page in pdf.pages:
            head = page.crop((0, 0, page.width, 62)).extract_text() or ""
            heads[page.page_number] = head.strip()
        title = "Footnotes numbered as in the source"
    opening = destinations(pypdf.PdfReader(paths[0]))[model.texts[0].slug + "--title"][0] + 1
    assert heads[1] == "" and heads[opening] == ""
    later = [n for n in heads if n > opening]
    assert later
    for number in later:
        expected = "A. Writer" if number % 2 == 0 else title
        assert heads[number] == expected, (number, heads[number])


def test_footnote_white_space_as_in_the_source(tmp_path):
    """A note's text keeps the source's line ends and a space before one ("und \\n Siglen"):
    the book is laid out (WeasyPrint 70 stopped on it), the note reads as one run of text, and
    no text is lost, a superscript and a table cell included (TEI Stylesheets' test-carol)."""
    model = build_model(load_edition([PDF_FIXTURES / "footnote-space-before-line-end.xml"]))
    paths = render_pdf(model, tmp_path, "a4")
    assert paths[0].is_file()
    assert_reading_in(paths[0], model.texts)
    with pdfplumber.open(paths[0]) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "8 Zu Textauszeichnungen und Siglen siehe die Legende." in text
    assert "which is from TS Eliot's Hollow men" in text
    assert "Mountain flowers." in text


def test_manuscript_description_printed_as_the_source(tmp_path):
    """A sourceDesc/msDesc (a catalogue record's substance) is printed after the text's title
    under "Source", each part of it under its name and every word of it kept (Bodleian)."""
    model = build_model(load_edition([PDF_FIXTURES / "msdesc-source.xml"]))
    paths = render_pdf(model, tmp_path, "a4")
    assert_reading_in(paths[0], model.texts)
    with pdfplumber.open(paths[0]) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "\nSource\n" in text
    for label in ("Contents:", "Physical description:", "History:", "Additional information:"):
        assert label in text
    desc = model.texts[0].tei.find(f"{T}teiHeader/{T}fileDesc/{T}sourceDesc/{T}msDesc")
    printed_text = squeeze(dehyphenate(text))
    words = [squeeze(t) for t in desc.xpath(".//text()") if squeeze(t)]
    assert words and [w for w in words if w not in printed_text] == []


# --------------------------------------------------------------------------------------------
# The build cache


def test_an_unchanged_book_comes_from_the_build_cache(tmp_path):
    """A second render with the same input lays nothing out and writes the same PDFs; a
    changed text makes the books that hold it be laid out again, and only those."""
    from tei_edition.cache import BuildCache

    source = tmp_path / "edition"
    shutil.copytree(EDITION, source)
    book_cache = BuildCache(tmp_path / "out", "pdf")
    first = print_books(build_model(load_edition([source])), tmp_path / "one", "a4",
                        cache=book_cache)
    assert not any(b.reused for b in first)
    messages: list[str] = []
    again = print_books(build_model(load_edition([source])), tmp_path / "two", "a4",
                        messages.append, cache=book_cache)
    assert all(b.reused for b in again)
    assert "pdf: edition.pdf: " in messages[0] and "(from the build cache)" in messages[0]
    for a, b in zip(first, again, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes()
    # The warnings of a book taken from the cache are given again.
    assert any("<unknownThing>" in m for m in messages)

    text = source / "text-leblanc.xml"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "Quixotic essay", "Quixotic new essay", 1), encoding="utf-8")
    messages.clear()
    changed = print_books(build_model(load_edition([source])), tmp_path / "three", "a4",
                          messages.append, cache=book_cache)
    assert {b.path.name: b.reused for b in changed} == {
        "edition.pdf": False, "kamenev-text.pdf": True, "leblanc.pdf": False}
    body, _ = streams(tmp_path / "three" / "leblanc.pdf")
    assert "Quixoticnewessay" in body
    # The cache holds this render's books, not the replaced ones.
    kept = {p.name.split(".")[0] for p in book_cache.folder.iterdir() if p.suffix == ".out"}
    assert len(kept) == 3


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path):
    from tei_edition.cache import BuildCache

    model = build_model(load_edition([EDITION]))
    unusable = BuildCache(tmp_path / "out", "pdf")
    unusable.usable = False
    books = print_books(model, tmp_path / "pdf", "a4", cache=unusable)
    assert [b.reused for b in books] == [False] * len(books)
    assert all(b.path.read_bytes().startswith(b"%PDF-") for b in books)


def test_markup_examples_print_as_markup(tmp_path):
    model = build_model(load_edition([FIXTURES / "render" / "egxml-examples.xml"]))
    assert [d.title for d in model.texts] == ["Markup examples"]
    paths = render_pdf(model, tmp_path, "a4")
    body, feet = streams(paths[0])
    assert squeeze('<persName ref="#nobody">Goethe</persName> met') in body
    assert squeeze('<ptr target="#nowhere"/></p></body></text></TEI>') in body
    assert "InJena" not in feet  # a note quoted in an example is no footnote


def test_a_long_layout_says_how_far_it_has_come(edition_model, tmp_path, monkeypatch):
    from tei_edition import pdf

    monkeypatch.setattr(pdf, "PROGRESS_PAGES", 2)
    messages: list[str] = []
    books = print_books(edition_model, tmp_path, "a4", messages.append)
    numbers = [int(m.split("page ")[1].rstrip("…")) for m in messages
               if m.startswith("pdf: edition.pdf: laying out page ")]
    # Book page numbers (a part laid out on its own counts on from the pages before it).
    assert numbers and max(numbers) > 2
    assert all(2 <= n <= books[0].pages for n in numbers)


# --------------------------------------------------------------------------------------------
# Tests: when the typesetter fails

SMALL_TEXT = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="small">
<teiHeader><fileDesc><titleStmt><title>A small text</title></titleStmt>
<publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>Written for the test.</p>
</sourceDesc></fileDesc></teiHeader>
<text><body><p xml:id="first">A first paragraph that prints.</p>
<p xml:id="second">A second paragraph, Unprintable for the test's WeasyPrint.</p></body></text>
</TEI>"""


def _small_model(tmp_path: Path):
    source = tmp_path / "small.xml"
    source.write_text(SMALL_TEXT, encoding="utf-8")
    return build_model(load_edition([source]))


def test_a_book_the_tuned_layout_fails_on_is_laid_out_by_weasyprint_unchanged(
        tmp_path, monkeypatch):
    from contextlib import contextmanager

    from tei_edition import pdf

    @contextmanager
    def failing_layout():
        raise RuntimeError("a bug in the changes to WeasyPrint")
        yield  # pragma: no cover

    monkeypatch.setattr(pdf, "print_layout", failing_layout)
    messages: list[str] = []
    books = print_books(_small_model(tmp_path), tmp_path / "out", progress=messages.append)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(books[0].path).pages)
    assert "Unprintable" in text
    assert any("laid out without tei-edition's changes to WeasyPrint" in m for m in messages)


def test_an_element_weasyprint_cannot_lay_out_is_named_in_the_error(tmp_path, monkeypatch):
    from weasyprint import HTML

    render = HTML.render

    def fails_on_the_marker(self, *args, **kwargs):
        if "Unprintable" in "".join(self.etree_element.itertext()):
            raise ValueError("the test's WeasyPrint cannot")
        return render(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", fails_on_the_marker)
    with pytest.raises(BuildError) as failure:
        render_pdf(_small_model(tmp_path), tmp_path / "out")
    message = str(failure.value)
    assert "small.xml" in message and "the test's WeasyPrint cannot" in message
    assert '(second) "A second paragraph, Unprintable' in message


# --------------------------------------------------------------------------------------------
# How the print HTML reaches WeasyPrint: parsed by expat, the names' spans taken out


@pytest.mark.parametrize("source", [
    EDITION, FIXTURES / "realworld" / "papyrus-lineation-epidoc.xml",
    FIXTURES / "realworld" / "speech-lists-notes.xml", PDF_FIXTURES / "hostile-links.xml"])
def test_the_print_html_is_the_tree_weasyprint_would_parse(source):
    """print.xsl writes XML, which pdf.py parses with expat: the tree must be the one
    WeasyPrint's own HTML parser makes of the same output written as HTML."""
    from xml.etree import ElementTree

    import tinyhtml5

    from tei_edition.pdf import Printer

    def shape(root):
        return [(el.tag, sorted(el.attrib.items()), el.text or "", el.tail or "")
                for el in root.iter()]

    model = build_model(load_edition([source]))
    printer = Printer("a4")
    compared = 0
    for book in plan_books(model):
        root, mentions = build_book(model, book)
        node = printer._node(root)
        for part in ("opening", "all", "back"):
            xml = printer._html(node, model, book, mentions, part)
            printer._xslt.set_property("!method", "html")
            try:
                html = printer._html(node, model, book, mentions, part)
            finally:
                printer._xslt.set_property("!method", "xml")
            # The same output in both forms: HTML (void <meta>) and XML (an empty element).
            assert '<meta charset="utf-8">' in html and '<meta charset="utf-8"/>' in xml
            parsed = tinyhtml5.parse(html, namespace_html_elements=False)
            assert shape(ElementTree.fromstring(xml)) == shape(parsed), (book.filename, part)
            compared += 1
    assert compared >= 3


def test_names_are_laid_out_without_their_spans_and_found_on_their_pages(
        edition_model, tmp_path, monkeypatch):
    from tei_edition import pdf

    placed: list[tuple[int, bool]] = []
    place = pdf.mark_pages.place

    def spy(pages, marks):
        found = place(pages, marks)
        placed.append((len(marks), found))
        return found

    monkeypatch.setattr(pdf.mark_pages, "place", spy)
    books = print_books(edition_model, tmp_path, "a4")
    assert sum(count for count, found in placed if found) >= 20
    assert all(found for _, found in placed)
    path = next(b.path for b in books if b.path.name == "edition.pdf")
    assert assert_index_true(path, edition_model, edition_model.texts + edition_model.front,
                             "person", "Index of persons") >= 3


def _placing_fails(pages, marks):
    raise AttributeError("a WeasyPrint whose boxes marks.place does not know")


@pytest.mark.parametrize("place", [lambda pages, marks: False, _placing_fails],
                         ids=["not found", "failed"])
def test_names_not_found_again_are_laid_out_in_their_spans(edition_model, tmp_path, monkeypatch,
                                                          place):
    """A text whose laid-out words are not the words of its HTML (marks.place says so), or
    whose marks could not be placed at all, is laid out again with the names' spans, whose
    anchors give the pages."""
    from tei_edition import pdf

    monkeypatch.setattr(pdf.mark_pages, "place", place)
    books = print_books(edition_model, tmp_path, "a4")
    path = next(b.path for b in books if b.path.name == "edition.pdf")
    assert assert_index_true(path, edition_model, edition_model.texts + edition_model.front,
                             "person", "Index of persons") >= 3
    assert assert_index_true(path, edition_model, edition_model.texts + edition_model.front,
                             "place", "Index of places") >= 1


def test_a_weasyprint_that_takes_no_tree_prints_the_same_book(edition_model, tmp_path,
                                                              monkeypatch):
    """Where WeasyPrint's HTML cannot be made from a parsed tree, the print HTML is written as
    HTML for its parser (an empty <div/> would otherwise swallow what follows it)."""
    from tei_edition import pdf

    monkeypatch.setattr(pdf, "_tree_document_class", lambda: None)
    parsed = print_books(edition_model, tmp_path / "parsed", "a4")
    # The same book: every character of the texts, the contents, a true index.
    assert_reading_in(parsed[0].path, text_docs(edition_model))
    assert all(text.strip() for text in page_texts(parsed[0].path))
    assert assert_index_true(parsed[0].path, edition_model,
                             edition_model.texts + edition_model.front,
                             "person", "Index of persons") >= 3

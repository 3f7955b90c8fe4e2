"""What validate says about real TEI from other projects: a TEI element the customisation
leaves out (not a misspelling), no echo of libxml2's cascades, the child that is missing
rather than the one after it, the attribute whose value has the wrong form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tei_edition.validate import validate_paths

HERE = Path(__file__).resolve().parent
VALIDATE = HERE / "fixtures" / "validate"


def messages(name: str) -> dict[int, list[str]]:
    """The schema findings of a fixture, by line."""
    found: dict[int, list[str]] = {}
    for f in validate_paths([VALIDATE / name]).findings:
        if f.rule == "schema":
            found.setdefault(f.line, []).append(f.message)
    return found


def line_of(name: str, marker: str) -> int:
    lines = (VALIDATE / name).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if marker in line)


OUTSIDE = "tei-elements-outside-customisation.xml"


@pytest.mark.parametrize(("element", "module", "in_odd"), [
    ("textDesc", "corpus", True),
    ("castList", "drama", False),
    ("u", "spoken", False),
    ("app", "textcrit", False),
    ("gi", "tagdocs", False),
    ("code", "tagdocs", False),
    ("egXML", "tagdocs", False),
    ("div1", "textstructure", True),
])
def test_a_tei_element_outside_the_customisation_is_named_as_such(element, module, in_odd):
    [message] = messages(OUTSIDE)[line_of(OUTSIDE, f"<{element}")]
    assert message.startswith(
        f"<{element}> is not an element of the schema: TEI has it (module {module}), but the "
        "tei-edition customisation leaves it out; for another project's TEI, validate with "
        "--no-customisation --schema tei_all.rng, or, to use it in this edition, ")
    if in_odd:
        assert f'add {element} to the @include of its moduleRef key="{module}" in ' in message
    else:
        assert f'add <moduleRef key="{module}" include="{element}"/> in ' in message
    assert message.endswith(
        "src/tei_edition/schema/tei-edition.odd and run tools/build_schema.py")
    assert "did you mean" not in message  # textDesc is not a misspelt typeDesc


def test_only_a_misspelling_gets_a_did_you_mean():
    found = messages(OUTSIDE)
    assert found[line_of(OUTSIDE, "<persname>")] == [
        "<persname> is not an element of the schema; did you mean <persName>? (element names "
        "are case-sensitive)"]
    assert found[line_of(OUTSIDE, "<listwit/>")] == [
        "<listwit> is not an element of the schema; did you mean <listWit> (TEI's, module "
        "textcrit, which the customisation leaves out)? (element names are case-sensitive)"]


def test_an_element_in_no_namespace_is_told_to_join_tei(tmp_path):
    path = tmp_path / "no-namespace-child.xml"
    text = (VALIDATE / "header-no-publicationstmt.xml").read_text(encoding="utf-8")
    path.write_text(text.replace("<p>A word.</p>", '<p>A <hi xmlns="">word</hi>.</p>')
                    .replace("<editionStmt>", "<publicationStmt>")
                    .replace("</editionStmt>", "</publicationStmt>"), encoding="utf-8")
    [finding] = [f for f in validate_paths([path]).findings if f.rule == "schema"]
    assert finding.message == (
        '<hi> is in no namespace, not in TEI\'s: declare xmlns="http://www.tei-c.org/ns/1.0" '
        "on it (or remove the xmlns that takes it out of TEI)")


def test_the_extra_content_cascade_is_not_reported():
    """An <app> after <lb>s in an <ab> (and in a <hi> inside it), and an <egXML> in a list in a
    <p>: one finding each, for the element that is not allowed, none for the <lb> or <list>."""
    name = "extra-content-cascade.xml"
    found = messages(name)
    assert sorted(found) == [line_of(name, "<app>"), line_of(name, "<egXML")]
    assert all("contains <" not in m for ms in found.values() for m in ms), found
    assert found[line_of(name, "<app>")][0].startswith("<app> is not an element of the schema")


def test_the_missing_publication_statement_is_named():
    name = "header-no-publicationstmt.xml"
    assert messages(name) == {line_of(name, "<sourceDesc>"): [
        "<fileDesc> lacks <publicationStmt> (required before <sourceDesc>): add it"]}


TITLE = "<titleStmt><title>T</title></titleStmt>"
PUBLICATION = "<publicationStmt><p>Unpublished.</p></publicationStmt>"
SOURCE = "<sourceDesc><p>Born digital.</p></sourceDesc>"
TEXT = "<text><body><p>A word.</p></body></text>"


@pytest.mark.parametrize(("header", "text", "expected"), [
    (f"<fileDesc>{PUBLICATION}{SOURCE}</fileDesc>", TEXT,
     "<fileDesc> lacks <titleStmt> (required before <publicationStmt>): add it"),
    (f"<fileDesc>{SOURCE}</fileDesc>", TEXT,
     "<fileDesc> lacks <titleStmt> and <publicationStmt> (required before <sourceDesc>): add "
     "them"),
    (f"<fileDesc>{TITLE}{PUBLICATION}</fileDesc>", TEXT,
     "<fileDesc> lacks <sourceDesc> (required after <publicationStmt>): add it"),
    (f"<fileDesc>{TITLE}{SOURCE}{PUBLICATION}</fileDesc>", TEXT,
     "<publicationStmt> must come before <sourceDesc> inside <fileDesc>: move it there"),
    ("<fileDesc/>", TEXT, "<fileDesc> lacks <titleStmt>, <publicationStmt> and <sourceDesc> "
     "(it holds no element): add them"),
    ("<profileDesc/>", TEXT, "<teiHeader> lacks <fileDesc> (required before <profileDesc>): "
     "add it"),
    ("", TEXT, "<teiHeader> lacks <fileDesc> (it holds no element): add it"),
    (f"<fileDesc><titleStmt><author>A</author><title>T</title></titleStmt>{PUBLICATION}"
     f"{SOURCE}</fileDesc>", TEXT,
     "<title> must come before <author> inside <titleStmt>: move it there"),
    (f"<fileDesc>{TITLE}{PUBLICATION}{SOURCE}</fileDesc>", "<text><front><p>A</p></front></text>",
     "<text> lacks <body> or <group> (required after <front>): add one"),
])
def test_a_missing_required_child_is_named(tmp_path, header, text, expected):
    path = tmp_path / "missing-child.xml"
    path.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>{header}</teiHeader>'
                    f"{text}</TEI>", encoding="utf-8")
    schema = [f.message for f in validate_paths([path]).findings if f.rule == "schema"]
    assert schema == [expected]


def test_an_attribute_of_the_wrong_form_is_named_with_the_form_it_needs():
    name = "attribute-wrong-form.xml"
    found = validate_paths([VALIDATE / name]).findings
    by_line = {f.line: (f.column, f.message) for f in found if f.rule == "schema"}
    source = (VALIDATE / name).read_text(encoding="utf-8").splitlines()

    def at(marker: str, attribute: str) -> tuple[int, str]:
        line = line_of(name, marker)
        column, message = by_line[line]
        assert column == source[line - 1].index(f" {attribute}=") + 2  # the attribute's column
        return message

    assert at("<graphic", "url") == "@url on <graphic> is empty: it must be a URI (no spaces)"
    assert at("<unclear", "cert") == ('@cert="sure" on <unclear> is not valid: it must be a '
                                      "number or one of 'high', 'medium', 'low', 'unknown'")
    assert at("<foreign", "xml:lang") == ('@xml:lang="en_GB" on <foreign> is not valid: it must '
                                          "be a language tag (en, de-AT, grc) or empty")
    assert at("<teiHeader", "type") == ('<teiHeader> has no attribute @type (@type="text"): '
                                        "remove it")


def test_a_date_of_the_wrong_form_says_which_forms_are_dates(tmp_path):
    """The schema's own message for a date, which validate leaves to the date rule."""
    from tei_edition import schema
    from tei_edition.sources import parse_file

    path = tmp_path / "date.xml"
    path.write_text(
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>{TITLE}{PUBLICATION}'
        f'{SOURCE}</fileDesc></teiHeader><text><body><p><date when="1917-13">x</date></p>'
        "</body></text></TEI>", encoding="utf-8")
    [finding] = schema.check_customisation(parse_file(path))
    assert finding.message == (
        '@when="1917-13" on <date> is not valid: it must be a date (YYYY-MM-DD, YYYY-MM or '
        "YYYY; also YYYY-MM-DDThh:mm:ss, hh:mm:ss, --MM-DD, --MM, ---DD)")
    report = validate_paths([path])  # the date rule explains it; the schema's echo goes
    assert [f.rule for f in report.findings if f.rule in ("schema", "date-invalid")] == [
        "date-invalid"]


@pytest.mark.parametrize("name", ["header-no-publicationstmt.xml", "attribute-wrong-form.xml"])
def test_tei_written_with_a_prefix_gets_the_same_messages(tmp_path, name):
    """libxml2 writes its paths with the file's prefixes (/tei:TEI/tei:teiHeader): the element
    is found all the same, for the same message at the element's (or attribute's) column."""
    text = (VALIDATE / name).read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_text(re.sub(r"<(/?)(?=[A-Za-z])", r"<\1tei:", text.replace(
        'xmlns="http://www.tei-c.org/ns/1.0"', 'xmlns:tei="http://www.tei-c.org/ns/1.0"')),
        encoding="utf-8")
    plain = [f for f in validate_paths([VALIDATE / name]).findings if f.rule == "schema"]
    prefixed = [f for f in validate_paths([path]).findings if f.rule == "schema"]
    assert [(f.line, f.message) for f in prefixed] == [(f.line, f.message) for f in plain]
    lines = path.read_text(encoding="utf-8").splitlines()
    for f in prefixed:
        at = lines[f.line - 1][f.column - 1:]
        assert at.startswith("<tei:") or re.match(r"[\w:]+=", at), (f.message, at)


def test_an_attribute_in_another_namespace_is_named_with_its_prefix(tmp_path):
    """@x:rend is not TEI's @rend (in no namespace): the message and column say which."""
    path = tmp_path / "namespaced-attribute.xml"
    line = '<p xmlns:x="urn:x" x:rend="b">x</p>'
    path.write_text(
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>{TITLE}{PUBLICATION}'
        f"{SOURCE}</fileDesc></teiHeader><text><body>\n{line}\n</body></text></TEI>",
        encoding="utf-8")
    [finding] = [f for f in validate_paths([path]).findings if f.rule == "schema"]
    assert finding.message == "<p> has an unknown attribute @x:rend; did you mean @rend?"
    assert (finding.line, finding.column) == (2, line.index("x:rend") + 1)

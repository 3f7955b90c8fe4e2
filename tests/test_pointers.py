"""Which attributes are pointers, and how a pointer that does not reach an xml:id is reported:
TEI's own datatypes decide (teidata.pointer on that element), a file that is not XML is only
looked for, a bare word gets a message that says what to write."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tei_edition.findings import Severity
from tei_edition.pointers import POINTER_ATTRIBUTES, POINTER_ONLY_ON, T
from tei_edition.validate import ValidationOptions, validate_paths

VALIDATE = Path(__file__).resolve().parent / "fixtures" / "validate"


def rules(report) -> list[tuple[str, str]]:
    return [(f.rule, f.severity.value) for f in report.findings]


def test_rendition_scheme_is_not_a_pointer_but_catref_scheme_is(tmp_path):
    path = VALIDATE / "rendition-scheme-css.xml"
    report = validate_paths([path])
    assert report.findings == [], [f.format() for f in report.findings]
    broken = tmp_path / "broken.xml"
    broken.write_text(path.read_text(encoding="utf-8").replace('scheme="#genres"',
                                                               'scheme="#genre"'), "utf-8")
    messages = [f.message for f in validate_paths([broken]).findings
                if f.rule == "pointer-dangling"]
    assert messages == ['@scheme="#genre": there is no xml:id \'genre\' in this file; did you '
                        "mean #genres?"]


def test_gi_scheme_is_a_token_not_a_pointer(tmp_path):
    path = tmp_path / "gi.xml"
    path.write_text((VALIDATE / "rendition-scheme-css.xml").read_text(encoding="utf-8")
                    .replace("<p>A ", '<p>The <gi scheme="TEI">hi</gi> element: a '), "utf-8")
    report = validate_paths([path], ValidationOptions(customisation=False))
    assert report.findings == [], [f.format() for f in report.findings]


RNG = "{http://relaxng.org/ns/structure/1.0}"


def _pointer_elements(tei_all: Path) -> dict[str, set[str]]:
    """attribute -> the TEI elements on which tei_all types it as a pointer (anyURI), and
    attribute + "!" -> those on which it has another type."""
    grammar = etree.parse(str(tei_all)).getroot()
    defines: dict[str, list[etree._Element]] = {}
    for define in grammar.iter(f"{RNG}define"):
        defines.setdefault(define.get("name"), []).append(define)
    found: dict[str, set[str]] = {}

    def walk(node: etree._Element, element: str, seen: set[str]) -> None:
        for child in node.iterchildren(f"{RNG}*"):
            if child.tag == f"{RNG}element":
                continue
            if child.tag == f"{RNG}attribute" and child.get("name") in POINTER_ATTRIBUTES:
                uri = any(d.get("type") == "anyURI" for d in child.iter(f"{RNG}data"))
                found.setdefault(child.get("name") + ("" if uri else "!"), set()).add(element)
            elif child.tag == f"{RNG}ref" and child.get("name") not in seen:
                seen.add(child.get("name"))
                for define in defines.get(child.get("name"), []):
                    walk(define, element, seen)
            else:
                walk(child, element, seen)

    for element in grammar.iter(f"{RNG}element"):
        if element.get("name"):
            walk(element, element.get("name"), set())
    return found


def test_the_pointer_attributes_are_those_tei_types_as_pointers(tei_all):
    """Against TEI's own schema: each attribute checked is teidata.pointer on every element
    that has it, or POINTER_ONLY_ON lists exactly the elements where it is."""
    found = _pointer_elements(tei_all)
    for attribute in POINTER_ATTRIBUTES:
        pointers = {f"{T}{e}" for e in found.get(attribute, set())}
        assert pointers, attribute
        if attribute in POINTER_ONLY_ON:
            assert pointers == POINTER_ONLY_ON[attribute], attribute
        else:
            assert not found.get(attribute + "!"), (attribute, found.get(attribute + "!"))


def test_catref_scheme_must_reach_a_taxonomy(tmp_path):
    path = tmp_path / "wrong.xml"
    path.write_text((VALIDATE / "rendition-scheme-css.xml").read_text(encoding="utf-8")
                    .replace('scheme="#genres"', 'scheme="#letter"'), "utf-8")
    assert ("pointer-wrong-kind", "error") in rules(validate_paths([path]))


def test_links_to_files_that_are_not_xml_are_only_looked_for():
    report = validate_paths([VALIDATE / "linked-page.xml"])
    assert report.findings == [], [f.format() for f in report.findings]


def test_a_missing_page_or_image_is_a_warning():
    report = validate_paths([VALIDATE / "missing-linked-file.xml"])
    assert rules(report) == [("pointer-missing-resource", "warning")] * 2
    page, image = report.findings
    assert "there is no file notes.pdf " in page.message
    assert '@url="images/page-1.png"' in image.message
    assert report.exit_code() == 0


def test_a_missing_xml_file_stays_an_error():
    report = validate_paths([VALIDATE / "missing-file-ref.xml"])
    assert rules(report) == [("pointer-missing-file", "error")]


def test_links_under_an_absolute_xml_base_are_not_local(tmp_path):
    text = (VALIDATE / "missing-linked-file.xml").read_text(encoding="utf-8").replace(
        "<figure>", '<figure xml:base="https://images.example.org/">')
    path = tmp_path / "based.xml"
    path.write_text(text, encoding="utf-8")
    messages = [f.message for f in validate_paths([path]).findings]
    assert len(messages) == 1 and "notes.pdf" in messages[0], messages


def test_facs_identifiers_without_extension_are_left_to_the_project(tmp_path):
    text = (VALIDATE / "linked-page.xml").read_text(encoding="utf-8").replace(
        "<figure>", '<pb facs="page_0371"/><pb facs="#surface-1"/><figure>')
    path = tmp_path / "facs.xml"
    path.write_text(text, encoding="utf-8")
    findings = validate_paths([path]).findings
    assert not [f for f in findings if "facs" in f.message], findings


def test_bare_words_say_what_the_pointer_should_reach():
    report = validate_paths([VALIDATE / "bare-word-pointer.xml"])
    who, calendar = report.findings
    assert who.message.startswith('@who="Lisa Cerrato" should point at a person (#id, ')
    assert "there are no files 'Lisa' and 'Cerrato'" in who.message
    assert 'write who="#id"' in who.message
    assert calendar.message.startswith('@calendar="Gregorian" should point at a <calendar>')
    assert 'calendar="#gregorian"' in calendar.message
    assert {f.severity for f in report.findings} == {Severity.ERROR}

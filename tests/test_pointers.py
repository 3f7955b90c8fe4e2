"""Which attributes are pointers, and how a pointer that does not reach an xml:id is reported:
TEI's own datatypes decide (teidata.pointer on that element), a file that is not XML is only
looked for, a bare word gets a message that says what to write."""

from __future__ import annotations

from pathlib import Path

from tei_edition.findings import Severity
from tei_edition.validate import validate_paths

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

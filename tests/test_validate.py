"""Every integrity rule fires on the fixture that breaks it, at the right file and line; the
passing fixtures pass; the report orders, counts and serialises findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tei_edition.findings import Severity
from tei_edition.sources import load_edition
from tei_edition.validate import RULES, ValidationOptions, validate_edition, validate_paths

HERE = Path(__file__).resolve().parent
VALIDATE = HERE / "fixtures" / "validate"
PASS = VALIDATE / "pass"

# fixture, rule id, severity, a piece of the line where the finding must be reported.
CASES = [
    ("malformed.xml", "xml-well-formed", "error", "<title>Broken</titleStmt>"),
    ("external-entity.xml", "xml-entity", "error", '<?xml version="1.0"'),
    ("entity-bomb.xml", "xml-entity", "error", '<?xml version="1.0"'),
    ("doctype-external-dtd.xml", "xml-entity", "error", "%dictionaries;"),
    ("not-tei.xml", "not-tei", "error", "<html"),
    ("tei-no-namespace.xml", "not-tei", "error", "<TEI>"),
    ("tei-without-text.xml", "tei-no-text", "error", "<TEI"),
    ("misspelt-element.xml", "schema", "error", "<persname"),
    ("misspelt-attribute.xml", "schema", "error", 'reff="#kamenev"'),
    ("element-misplaced.xml", "schema", "error", "<p>a paragraph inside a list"),
    ("tei-elements-outside-customisation.xml", "schema", "error", "<textDesc"),
    ("extra-content-cascade.xml", "schema", "error", "<app>"),  # not at the <lb> before it
    ("header-no-publicationstmt.xml", "schema", "error", "<sourceDesc>"),
    ("attribute-wrong-form.xml", "schema", "error", '<teiHeader type="text">'),
    ("tei-p4-doctype.xml", "xml-entity", "error", "<!DOCTYPE TEI.2"),
    ("duplicate-id.xml", "id-duplicate", "error", '<p xml:id="para-1">Two.'),
    ("dangling-ref.xml", "pointer-dangling", "error", 'ref="#kamenv"'),
    ("missing-file-ref.xml", "pointer-missing-file", "error", 'ref="people.xml#kamenev"'),
    ("ref-without-hash.xml", "pointer-missing-file", "error", 'ref="kamenev"'),
    ("bare-word-pointer.xml", "pointer-missing-file", "error", 'who="Lisa Cerrato"'),
    ("missing-linked-file.xml", "pointer-missing-resource", "warning", 'target="notes.pdf'),
    ("wrong-kind-ref.xml", "pointer-wrong-kind", "error", 'ref="#moscow">Moscow</persName>'),
    ("javascript-uri.xml", "pointer-unsafe-uri", "error", "javascript:alert(1)"),
    ("data-uri.xml", "pointer-unsafe-uri", "error", "data:text/html"),
    ("unvalidated-file-ref.xml", "pointer-file-not-validated", "warning",
     'ref="pass/persons.xml#kamenev"'),
    ("unreferenced-name.xml", "name-unreferenced", "error", "<persName>Zinoviev"),
    ("invalid-date.xml", "date-invalid", "error", 'when="1917-02-30"'),
    ("date-range-reversed.xml", "date-range", "error", 'from="1918" to="1917"'),
    ("not-before-after-not-after.xml", "date-range", "error", 'notBefore="1920-05"'),
    ("death-before-birth.xml", "date-life", "error", '<death when="1836-08-25"/>'),
    ("julian-mismatch.xml", "date-julian-mismatch", "error", 'when-custom="1917-10-10"'),
    ("julian-month-mismatch.xml", "date-julian-mismatch", "error", 'when-custom="1917-10"'),
    ("julian-range-mismatch.xml", "date-julian-mismatch", "error", 'notBefore-custom='),
    ("footnote-gap.xml", "note-numbering", "error", 'n="4"'),
    ("footnote-duplicate.xml", "note-numbering", "error", "Second again"),
    ("footnote-excerpt.xml", "note-numbering", "warning", 'n="8"'),
    ("unused-register-entry.xml", "register-unused", "warning", 'xml:id="zinoviev"'),
    ("header-no-title.xml", "header-title", "error", "<titleStmt>"),
    ("header-no-author.xml", "header-author", "error", "<titleStmt>"),
    ("header-nobody-responsible.xml", "header-author", "error", "<titleStmt>"),
    ("header-empty-publication.xml", "header-publication", "error", "<publicationStmt>"),
    ("header-empty-source.xml", "header-source", "error", "<sourceDesc>"),
]


def line_of(path: Path, marker: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


@pytest.mark.parametrize(("name", "rule", "severity", "marker"), CASES,
                         ids=[c[0] for c in CASES])
def test_rule_fires_at_the_right_file_and_line(name, rule, severity, marker):
    path = VALIDATE / name
    report = validate_paths([path])
    hits = [f for f in report.findings if f.rule == rule]
    assert hits, f"{rule} did not fire on {name}: {[f.format() for f in report.findings]}"
    hit = hits[0]
    assert Path(hit.path).name == name
    assert hit.line == line_of(path, marker), hit.format()
    assert hit.severity == Severity(severity)
    assert hit.column >= 1
    assert report.exit_code(strict=True) == 1
    assert report.exit_code() == (1 if severity == "error" else 0)


def test_every_rule_has_a_failing_fixture():
    # schema-external is tested in test_schema.py, io-unreadable below.
    covered = {rule for _, rule, _, _ in CASES} | {"schema-external", "io-unreadable"}
    assert set(RULES) == covered


def test_unreadable_file_is_a_finding(tmp_path):
    (tmp_path / "folder.xml").mkdir()  # found by the *.xml search, cannot be read as a file
    report = validate_paths([tmp_path])
    assert [f.rule for f in report.findings] == ["io-unreadable"]
    assert report.exit_code() == 1


def test_each_failing_fixture_shows_only_its_own_problem():
    """The fixtures are clean apart from the case they show (so each test proves one rule)."""
    allowed_extra = {
        "misspelt-attribute.xml": {"name-unreferenced"},  # @reff is not a @ref
        "tei-without-text.xml": {"schema"},  # the schema also requires <text>
    }
    for name, rule, _, _ in CASES:
        rules = {f.rule for f in validate_paths([VALIDATE / name]).findings}
        assert rules - {rule} <= allowed_extra.get(name, set()), (name, rules)


def test_dangling_ref_suggests_the_close_id():
    report = validate_paths([VALIDATE / "dangling-ref.xml"])
    assert "did you mean #kamenev?" in report.findings[0].message


def test_pointer_without_hash_suggests_the_id():
    report = validate_paths([VALIDATE / "ref-without-hash.xml"])
    assert "did you mean #kamenev?" in report.findings[0].message


def test_misspelt_names_get_suggestions():
    element = validate_paths([VALIDATE / "misspelt-element.xml"]).findings[0]
    assert "did you mean <persName>?" in element.message
    attribute = [f for f in validate_paths([VALIDATE / "misspelt-attribute.xml"]).findings
                 if f.rule == "schema"][0]
    assert "did you mean @ref?" in attribute.message


def test_julian_message_gives_the_gregorian_date():
    finding = validate_paths([VALIDATE / "julian-mismatch.xml"]).findings[0]
    assert "1917-10-23" in finding.message and "1917-10-24" in finding.message


def test_bare_id_found_in_another_file_says_where():
    report = validate_paths([VALIDATE / "across"])
    dup = [f for f in report.findings if f.rule == "id-duplicate"]
    assert len(dup) == 1
    assert dup[0].path.endswith("second.xml") and "first.xml" in dup[0].message


def test_pass_edition_is_clean():
    report = validate_paths([PASS])
    assert report.findings == [], [f.format() for f in report.findings]
    assert report.files == 7
    assert report.exit_code(strict=True) == 0


def test_valid_document_with_every_date_form_is_clean():
    report = validate_paths([VALIDATE / "valid-document.xml"])
    assert report.findings == [], [f.format() for f in report.findings]


def test_pointer_into_file_given_resolves_and_counts_as_use():
    report = validate_paths([VALIDATE / "unvalidated-file-ref.xml", PASS])
    assert not [f for f in report.findings if f.rule.startswith("pointer")]


def test_unreferenced_names_severity_option():
    path = VALIDATE / "unreferenced-name.xml"
    warning = validate_paths([path], ValidationOptions(unreferenced_names="warning"))
    assert [f.severity for f in warning.findings] == [Severity.WARNING]
    assert warning.exit_code() == 0 and warning.exit_code(strict=True) == 1
    off = validate_paths([path], ValidationOptions(unreferenced_names="off"))
    assert off.findings == []


def test_findings_sorted_by_file_then_line():
    report = validate_paths([VALIDATE])
    keys = [(f.path, f.line, f.column) for f in report.findings]
    assert keys == sorted(keys)
    assert report.errors > 20 and report.warnings >= 1


def test_malformed_file_does_not_stop_the_others():
    report = validate_paths([VALIDATE / "malformed.xml", VALIDATE / "dangling-ref.xml"])
    assert {f.rule for f in report.findings} == {"xml-well-formed", "pointer-dangling"}
    assert report.files == 2


def test_validate_edition_on_a_loaded_edition():
    edition = load_edition([PASS])
    report = validate_edition(edition, ValidationOptions())
    assert report.findings == []
    assert report.files == len(edition.sources)


def test_report_json_and_summary():
    report = validate_paths([VALIDATE / "dangling-ref.xml"])
    data = json.loads(report.to_json())
    assert data["summary"]["errors"] == 1 and data["summary"]["files"] == 1
    assert data["findings"][0]["rule"] == "pointer-dangling"
    assert data["findings"][0]["severity"] == "error"
    assert report.summary_line().startswith("1 file: 1 error, 0 warnings (")


def test_corpus_documents_are_each_checked(tmp_path):
    text = (PASS / "corpus.xml").read_text(encoding="utf-8")
    broken = text.replace("<author>Jane Doe</author>", "")
    (tmp_path / "corpus.xml").write_text(broken, encoding="utf-8")
    for path in PASS.glob("*.xml"):
        if path.name != "corpus.xml":
            (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), "utf-8")
    report = validate_paths([tmp_path], ValidationOptions())
    assert [f.rule for f in report.findings if f.severity == Severity.ERROR] == ["header-author"]


def test_corpus_header_is_checked(tmp_path):
    text = (PASS / "corpus.xml").read_text(encoding="utf-8")
    broken = text.replace("<title>A corpus of one letter</title>", "<title/>")
    path = tmp_path / "corpus.xml"
    path.write_text(broken, encoding="utf-8")
    report = validate_paths([path], ValidationOptions(unreferenced_names="off"))
    assert "header-title" in {f.rule for f in report.findings}


def test_prefix_definitions_are_expanded(tmp_path):
    text = (PASS / "text.xml").read_text(encoding="utf-8").replace(
        "<editorialDecl>",
        '<listPrefixDef><prefixDef ident="psn" matchPattern="([a-z-]+)" '
        'replacementPattern="persons.xml#$1"><p>Persons.</p></prefixDef></listPrefixDef>'
        "<editorialDecl>",
    )
    good = text.replace('ref="persons.xml#kamenev"', 'ref="psn:kamenev"')
    for path in PASS.glob("*.xml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "text.xml").write_text(good, encoding="utf-8")
    assert validate_paths([tmp_path]).findings == []
    (tmp_path / "text.xml").write_text(good.replace("psn:kamenev", "psn:kamenew"), "utf-8")
    messages = [f.message for f in validate_paths([tmp_path]).findings]
    assert any("did you mean persons.xml#kamenev?" in m for m in messages), messages


def test_bare_id_pointing_into_another_file_is_explained(tmp_path):
    for path in PASS.glob("*.xml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = (PASS / "text.xml").read_text(encoding="utf-8")
    (tmp_path / "text.xml").write_text(
        text.replace('ref="places.xml#moscow"', 'ref="#moscow"'), encoding="utf-8")
    finding = [f for f in validate_paths([tmp_path]).findings if f.rule == "pointer-dangling"][0]
    assert "write places.xml#moscow" in finding.message


def test_columns_point_at_the_right_element_of_a_busy_line(tmp_path):
    text = (PASS / "text.xml").read_text(encoding="utf-8").replace(
        "<head>Lev Kamenev</head>",
        '<p><persName>a</persName> <persName ref="#nobody">b</persName> <persName>c</persName></p>',
    )
    for path in PASS.glob("*.xml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "text.xml").write_text(text, encoding="utf-8")
    findings = [f for f in validate_paths([tmp_path]).findings if f.path.endswith("text.xml")]
    line = next(line for line in text.splitlines() if "#nobody" in line)
    columns = {f.rule + str(f.column) for f in findings}
    first, _, third = (i + 1 for i in range(len(line)) if line.startswith("<persName", i))
    assert f"name-unreferenced{first}" in columns and f"name-unreferenced{third}" in columns
    assert f"pointer-dangling{line.index('ref=') + 1}" in columns


def test_schema_messages_say_what_to_do(tmp_path):
    text = (PASS / "front.xml").read_text(encoding="utf-8").replace(
        '<div type="introduction">', 'loose text<div type="introduction">')
    path = tmp_path / "front.xml"
    path.write_text(text, encoding="utf-8")
    messages = [f.message for f in validate_paths([path]).findings if f.rule == "schema"]
    assert messages == ["<body> cannot hold text directly: put the text in an element that can "
                        "(a <p>, for instance)"]


def test_missing_header_is_named(tmp_path):
    path = tmp_path / "no-header.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text>'
                    "</TEI>", encoding="utf-8")
    messages = [f.message for f in validate_paths([path]).findings if f.rule == "schema"]
    assert messages and messages[0].startswith("<TEI> has no <teiHeader>")


def test_external_dtd_is_named_and_the_fix_given():
    finding = validate_paths([VALIDATE / "doctype-external-dtd.xml"]).findings[0]
    assert "network entity" not in finding.message
    assert "http://example.invalid/dictionaries.dtd" in finding.message
    assert "remove the DOCTYPE" in finding.message


@pytest.mark.parametrize("name", ["header-msdesc-respstmt.xml", "header-letter-editor.xml"])
def test_a_manuscript_record_or_letter_may_name_only_its_editors(name):
    report = validate_paths([VALIDATE / name])
    assert report.findings == [], [f.format() for f in report.findings]


@pytest.mark.parametrize("name", ["header-no-author.xml", "header-nobody-responsible.xml"])
def test_other_projects_missing_author_is_a_warning(name):
    """TEI requires no author: without the customisation the rule only warns."""
    report = validate_paths([VALIDATE / name], ValidationOptions(customisation=False))
    assert [(f.rule, f.severity) for f in report.findings] == [("header-author",
                                                                 Severity.WARNING)]
    assert report.exit_code() == 0 and report.exit_code(strict=True) == 1


def test_a_letter_names_its_author_as_the_sender(tmp_path):
    text = (VALIDATE / "header-no-author.xml").read_text(encoding="utf-8").replace(
        "</teiHeader>",
        '<profileDesc><correspDesc><correspAction type="sent"><persName>Jane Doe</persName>'
        "</correspAction></correspDesc></profileDesc></teiHeader>")
    path = tmp_path / "letter.xml"
    path.write_text(text, encoding="utf-8")
    assert validate_paths([path]).findings == []


def test_a_respstmt_names_someone(tmp_path):
    text = (VALIDATE / "header-nobody-responsible.xml").read_text(encoding="utf-8")
    unnamed = text.replace("</titleStmt>", "<respStmt><resp>Encoded</resp></respStmt>"
                           "</titleStmt>")
    path = tmp_path / "unnamed.xml"
    path.write_text(unnamed, encoding="utf-8")
    report = validate_paths([path], ValidationOptions(customisation=False))
    assert [f.rule for f in report.findings] == ["header-author"]
    path.write_text(unnamed.replace("</resp>", "</resp><persName>Jane Doe</persName>"), "utf-8")
    assert validate_paths([path], ValidationOptions(customisation=False)).findings == []


def test_examples_in_egxml_are_not_checked():
    report = validate_paths([VALIDATE / "egxml-example.xml"],
                            ValidationOptions(customisation=False))
    assert report.findings == [], [f.format() for f in report.findings]


def test_notes_numbered_by_chapter_start_again_at_1(tmp_path):
    """Notes 1, 2 in one chapter and 1, 2, 3 in the next are two series, not duplicates; a
    note 1 twice in one chapter is still a duplicate."""
    text = (VALIDATE / "footnote-gap.xml").read_text(encoding="utf-8")
    body = ('<div><p>A.<note place="foot" n="1">a</note> B.<note place="foot" n="2">b</note>'
            '</p></div><div><p>C.<note place="foot" n="1">c</note> D.<note place="foot" '
            'n="2">d</note> E.<note place="foot" n="3">e</note></p></div>')
    start, end = text.index("<p>One."), text.index("</body>")
    chapters = tmp_path / "chapters.xml"
    chapters.write_text(text[:start] + body + text[end:], encoding="utf-8")
    assert not [f for f in validate_paths([chapters]).findings if f.rule == "note-numbering"]
    twice = tmp_path / "twice.xml"
    twice.write_text(text[:start] + body.replace("</p></div><div><p>", " ") + text[end:],
                     encoding="utf-8")
    hits = [f for f in validate_paths([twice]).findings if f.rule == "note-numbering"]
    assert [f.severity for f in hits] == [Severity.ERROR, Severity.ERROR]
    assert "numbered twice" in hits[0].message

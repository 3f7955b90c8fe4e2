"""Loading: finding the files, and parsing each one safely (no DTD, no entity, no network)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from tei_edition.errors import UsageError
from tei_edition.findings import Finding
from tei_edition.sources import Source, find_xml_files, load_edition, parse_file

VALIDATE = FIXTURES / "validate"
TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>{}</p></body></text></TEI>'


def test_find_xml_files_recursive_sorted_without_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/z.xml", "a.xml", ".git/hidden.xml", "notes.txt"):
        (tmp_path / name).write_text("<x/>", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in find_xml_files([tmp_path])]
    assert found == ["a.xml", "b/z.xml"]
    # A file named twice (directly and through its folder) is loaded once.
    assert len(find_xml_files([tmp_path / "a.xml", tmp_path])) == 2


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such file or folder"):
        find_xml_files([tmp_path / "missing"])


def test_parse_good_file():
    result = parse_file(VALIDATE / "pass" / "places.xml")
    assert isinstance(result, Source) and result.is_tei and result.size > 0


@pytest.mark.parametrize(("content", "rule", "words"), [
    (b"", "xml-well-formed", "empty"),
    (b"\x00\x01\x02\xff binary", "xml-well-formed", "not well-formed"),
    ('<?xml version="1.0" encoding="UTF-8"?><TEI>caf\xe9</TEI>'.encode("latin-1"),
     "xml-well-formed", "not well-formed"),
    (b'<!DOCTYPE TEI [<!ENTITY x "y">]><TEI>&x;</TEI>', "xml-entity", "entity 'x'"),
    (b'<!DOCTYPE TEI [<!ENTITY x SYSTEM "http://example.org/x">]><TEI>&x;</TEI>',
     "xml-entity", "external entity"),
])
def test_bad_files_become_findings(tmp_path, content, rule, words):
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    result = parse_file(path)
    assert isinstance(result, Finding)
    assert result.rule == rule and words in result.message and result.line >= 1


def test_utf16_with_bom_parses(tmp_path):
    path = tmp_path / "utf16.xml"
    path.write_bytes(('<?xml version="1.0" encoding="UTF-16"?>' + TEI.format("Кам")).encode(
        "utf-16"))
    result = parse_file(path)
    assert isinstance(result, Source)
    assert "Кам" in "".join(result.root.itertext())


def test_external_dtd_is_not_loaded(tmp_path):
    path = tmp_path / "dtd.xml"
    path.write_text('<!DOCTYPE TEI SYSTEM "http://127.0.0.1:9/tei.dtd">' + TEI.format("x"),
                    encoding="utf-8")
    result = parse_file(path)
    assert isinstance(result, Source)  # parsed without fetching (port 9 would fail)
    local_dtd = tmp_path / "tei.dtd"
    local_dtd.write_text('<!ENTITY x "LEAK">', encoding="utf-8")
    path.write_text(f'<!DOCTYPE TEI PUBLIC "-//TEI//DTD" "{local_dtd}">' + TEI.format("x"),
                    encoding="utf-8")
    result = parse_file(path)
    assert isinstance(result, Source)
    assert result.tree.docinfo.externalDTD is None  # the local DTD was not read either


def test_xinclude_is_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    path = tmp_path / "xi.xml"
    path.write_text(TEI.format(
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="secret.txt" '
        'parse="text"/>'), encoding="utf-8")
    result = parse_file(path)
    assert isinstance(result, Source)
    assert "SECRET" not in "".join(result.root.itertext())


def test_load_edition_keeps_going_after_bad_files():
    edition = load_edition([VALIDATE / "malformed.xml", VALIDATE / "pass"])
    assert len(edition.findings) == 1 and len(edition.sources) == 7
    assert edition.file_count == 8
    assert edition.root_dir == VALIDATE.resolve()


def test_a_tei_p4_doctype_gets_the_p4_advice():
    """FreeDict-style P4: parameter entities that switch P4 DTD modules on are not entities to
    write out; the file is P4, to be converted (and it is still not parsed with its DTD)."""
    result = parse_file(VALIDATE / "tei-p4-doctype.xml")
    assert isinstance(result, Finding)
    assert (result.rule, result.line, result.column) == ("xml-entity", 2, 1)
    assert result.message == (
        "this is a TEI P4 document, with a P4 DOCTYPE whose parameter entities "
        "(%TEI.dictionaries;, %TEI.XML;) switch modules of the P4 DTD on: tei-edition reads TEI "
        "P5 and never loads a DTD or expands an entity; remove the DOCTYPE (TEI P5 needs none), "
        "then convert the file with the TEI Stylesheets' p4top5.xsl (its root becomes "
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">; this file is not checked further)')


@pytest.mark.parametrize(("doctype", "words"), [
    # a P4 DTD's own entities, used in the text: to be written out before the DOCTYPE goes
    ('<!DOCTYPE TEI.2 SYSTEM "tei2.dtd" [<!ENTITY mdash "&#x2014;">]>',
     "write each entity it defines (&mdash;) as the characters themselves, remove the DOCTYPE"),
    # TEI Lite P4 by its public identifier, with a parameter entity read from a DTD
    ('<!DOCTYPE TEI.2 PUBLIC "-//TEI P4//DTD TEI Lite XML ver. 1//EN" "teilite.dtd" [\n'
     '<!ENTITY % ISOlat1 SYSTEM "http://127.0.0.1:9/iso-lat1.ent"> %ISOlat1;]>',
     "this is a TEI P4 document, with a P4 DOCTYPE: tei-edition reads TEI P5"),
])
def test_other_tei_p4_doctypes_get_the_p4_advice(tmp_path, doctype, words):
    path = tmp_path / "p4.xml"
    path.write_text(f'<?xml version="1.0"?>\n{doctype}\n<TEI.2><text><body><p>a&#x2014;b</p>'
                    "</body></text></TEI.2>", encoding="utf-8")
    result = parse_file(path)
    assert isinstance(result, Finding) and result.rule == "xml-entity"
    assert words in result.message and "p4top5.xsl" in result.message
    assert result.line == 2


def test_a_p5_doctype_with_entities_keeps_its_own_advice():
    result = parse_file(VALIDATE / "doctype-external-dtd.xml")
    assert isinstance(result, Finding) and "TEI P4" not in result.message

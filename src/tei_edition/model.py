"""Model: the cross-document picture of an edition, built once per run from a loaded ``Edition``.

Every renderer (the web edition, the print edition) reads the same model, so that anchors,
note numbers, register entries and occurrence lists agree everywhere. Nothing here writes a
file or prints; the model is built in one pass over each document (linear in the corpus).

Public API (stable; the PDF renderer builds on it)::

    model = build_model(edition)            # edition: sources.Edition, already loaded

    model.documents      list[Document]     every TEI document (teiCorpus members count singly)
    model.texts          list[Document]     documents with a <text> to read (kind "text")
    model.registers      list[Document]     documents whose body is only lists (kind "register")
    model.front          list[Document]     the edition's own front matter (kind "front")
    model.document(doc_id) -> Document | None
    model.entries        dict[str, Entry]   register entries by key, in document order
    model.entries_of(kind) -> list[Entry]   kind: "person" | "place" | "org" | "work";
                                            persons sorted by surname, the rest by name
    model.mentions       list[Mention]      every reference from a text to an entry
    model.mentions_of(key) -> list[Mention]
    model.dates          list[DateRef]      every dated expression of the texts, in date order
    model.citations      list[Citation]     every work cited in a note (bibl/@corresp, title/@ref)
    model.citations_of(key) -> list[Citation]
    model.date_of(el) -> DateRef | None     the dated expression a <date> element made
    model.resolve(ref, doc) -> list[str]    entry keys a pointer ("persons.xml#x", "#x") names
    model.anchor(el) -> str | None          the stable anchor of an element (see below)
    model.block_anchor(el) -> str | None    anchor of the paragraph / note / block holding el
    model.doc_of(el) -> Document | None     the document an element belongs to

    Document: id, kind, source (sources.Source), tei (the TEI element), text (its <text> or
        None), title, authors (list[str]), slug (file-name-safe id), path (display path),
        lang, notes (list[Note]), blocks (list[etree element], anchorable, document order)
    Note: anchor, n (as in the source, or a running number), element, call_anchor, editorial
    Entry: key, id, kind, name, sort_key, variants, dates (display "1883–1936"), birth, death,
        description, coordinates ((lat, long) | None), element, doc_id, citation (works: one
        consistent citation string), fields (dict of extra display fields, e.g. "type")
    Mention: key, kind, doc_id, anchor, element, text (as it stands in the source), in_note
    DateRef: when (ISO, Gregorian), julian (ISO or None), label ("9 (22) October 1917"),
        sort_key, snippet, doc_id, anchor, element, text
    Citation: key, doc_id, anchor (the citing note), note_n, element

Anchors are derived from the TEI, the same in every build: an element's ``xml:id`` when it has
one, otherwise ``note-N`` for a note (N its ``@n`` when unique in the document, else its running
number) and ``<name>-K`` for other blocks (K the running number of that element name among the
document's anchorable blocks, e.g. ``p-12``, ``quote-3``, ``div-2``). A generated anchor that
would clash with an ``xml:id`` gets a ``-a`` suffix. Anchors are unique within a document.

Dates: ``@when`` is Gregorian; an Old Style date carries ``@when-custom`` with ``@datingMethod``
pointing at a ``<calendar>`` whose id or description mentions "julian" (or any ``@when-custom``
beside ``@when`` when no calendar is declared). ``format_date`` writes both as historians do:
"9 (22) October 1917", "31 October (13 November) 1917", "19 December 1916 (1 January 1917)".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urldefrag

from lxml import etree

from . import TEI_NS, XML_NS
from .findings import display_path
from .reading import note_stands_apart
from .sources import Edition, Source, quoted, resolved_path

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"

KINDS = ("person", "place", "org", "work")

# Register entry elements and the kind they make.
ENTRY_TAGS = {
    f"{T}person": "person",
    f"{T}personGrp": "person",
    f"{T}place": "place",
    f"{T}org": "org",
    f"{T}bibl": "work",
    f"{T}biblStruct": "work",
    f"{T}biblFull": "work",
}
LIST_TAGS = {f"{T}{n}" for n in ("listPerson", "listPlace", "listOrg", "listBibl", "listNym")}

# Elements in a text that point at register entries, and the kind they suggest when the
# pointer does not resolve (a renderer can still mark them up).
NAME_TAGS = {
    f"{T}persName": "person",
    f"{T}placeName": "place",
    f"{T}geogName": "place",
    f"{T}settlement": "place",
    f"{T}country": "place",
    f"{T}orgName": "org",
    f"{T}title": "work",
    f"{T}name": None,
    f"{T}rs": None,
    f"{T}term": None,
}

# Elements that get a stable anchor: what a scholar cites or an occurrence links to.
BLOCK_NAMES = (
    "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "head", "p", "ab", "note",
    "lg", "l", "item", "list", "quote", "cit", "floatingText", "table", "figure", "opener",
    "closer", "dateline", "salute", "signed", "postscript", "sp", "stage", "epigraph",
    "byline", "docTitle", "titlePart", "argument", "trailer", "bibl", "listBibl", "label",
)
BLOCK_TAGS = {f"{T}{n}" for n in BLOCK_NAMES}
# Blocks that only count as blocks when they stand outside a paragraph-level container:
# a quotation in running prose is part of the paragraph, a block quotation is its own block.
INLINE_CAPABLE = {f"{T}{n}" for n in ("quote", "cit", "bibl", "list", "label", "lg", "l")}
PARA_LEVEL = {f"{T}{n}" for n in ("p", "ab", "head", "l", "item", "note", "label", "salute",
                                   "signed", "dateline", "byline", "trailer", "stage", "cell")}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def local(el: etree._Element) -> str:
    """The local name of an element (``p`` for ``{tei}p``)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def text_of(el: etree._Element | None) -> str:
    """The element's text content with runs of whitespace squeezed to one space."""
    if el is None:
        return ""
    # str.split() splits on exactly the characters \s matches, and is much faster.
    return " ".join("".join(el.itertext()).split())


def author_name(author: etree._Element) -> str:
    """An author's name as a byline gives it: the first ``persName`` (or ``name``) when the
    author holds several (original script, transliteration) and never its ``idno``."""
    for child in author:
        if child.tag in (f"{T}persName", f"{T}name", f"{T}orgName"):
            return text_of(child)
    parts = [author.text or ""]
    for child in author:
        if child.tag not in (f"{T}idno", f"{T}note") and isinstance(child.tag, str):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def slugify(value: str) -> str:
    """A file-name- and URL-safe form of an id (lowercase ASCII letters, digits, hyphens)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-.").lower()
    return slug or "document"


# --------------------------------------------------------------------------------------------
# Data classes


@dataclass
class Note:
    anchor: str
    n: str
    element: etree._Element
    call_anchor: str
    editorial: bool = False


@dataclass
class Document:
    id: str
    kind: str  # "text" | "register" | "front"
    source: Source
    tei: etree._Element
    text: etree._Element | None
    title: str
    authors: list[str]
    slug: str
    path: str
    lang: str | None
    notes: list[Note] = field(default_factory=list)
    blocks: list[etree._Element] = field(default_factory=list)


@dataclass
class Entry:
    key: str
    id: str
    kind: str
    name: str
    sort_key: str
    variants: list[str]
    dates: str
    birth: str | None
    death: str | None
    description: str
    coordinates: tuple[float, float] | None
    element: etree._Element
    doc_id: str
    citation: str = ""
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Mention:
    key: str
    kind: str
    doc_id: str
    anchor: str | None
    element: etree._Element
    in_note: bool

    @property
    def text(self) -> str:
        """The mention as it stands in the source (asked for by few: made when asked)."""
        return text_of(self.element)


@dataclass
class DateRef:
    when: str
    julian: str | None
    label: str
    sort_key: str
    snippet: str
    doc_id: str
    anchor: str | None
    element: etree._Element
    text: str


@dataclass
class Citation:
    key: str
    doc_id: str
    anchor: str | None
    note_n: str
    element: etree._Element


# --------------------------------------------------------------------------------------------
# Dates


def _parse_iso(value: str | None) -> tuple[int, int | None, int | None] | None:
    if not value:
        return None
    # XML Schema's years have four digits or more ("-10000" is 10001 BC).
    m = re.fullmatch(r"\s*(-?\d+)(?:-(\d{2}))?(?:-(\d{2}))?(?:T.*)?\s*", value)
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return None
    return year, month, day


def _plain(parts: tuple[int, int | None, int | None]) -> str:
    year, month, day = parts
    if month is None:
        return str(year)
    if day is None:
        return f"{MONTHS[month - 1]} {year}"
    return f"{day} {MONTHS[month - 1]} {year}"


def format_date(when: str | None, julian: str | None = None) -> str:
    """A readable date; with a Julian value, both styles: "9 (22) October 1917".

    The Old Style value comes first and the New Style in brackets, repeating only the parts
    that differ. Values that are not ISO dates are returned as they are.
    """
    g = _parse_iso(when)
    j = _parse_iso(julian)
    if g is None:
        return (when or julian or "").strip()
    if j is None or j == g:
        return _plain(g)
    gy, gm, gd = g
    jy, jm, jd = j
    if gd is None or jd is None or gm is None or jm is None:
        return f"{_plain(j)} ({_plain(g)})"
    if jy != gy:
        return f"{_plain(j)} ({_plain(g)})"
    if jm != gm:
        return f"{jd} {MONTHS[jm - 1]} ({gd} {MONTHS[gm - 1]}) {gy}"
    return f"{jd} ({gd}) {MONTHS[gm - 1]} {gy}"


def _date_sort_key(value: str) -> str:
    parts = _parse_iso(value)
    if parts is None:
        return "9" * 11 + value
    year, month, day = parts
    # Fixed width, so that the strings sort as the years do, BC included.
    return f"{year + 1_000_000_000:010d}-{month or 0:02d}-{day or 0:02d}"


def _life_dates(birth: str | None, death: str | None, floruit: str | None) -> str:
    def year(v: str | None) -> str:
        parts = _parse_iso(v)
        return str(parts[0]) if parts else (v or "")

    # One date alone is "b. 1941" or "d. 1937", as indexes and registers print it ("1941–"
    # would read as a span still open, "–1937" as a missing year).
    if birth and death:
        return f"{year(birth)}–{year(death)}"
    if birth:
        return f"b. {year(birth)}"
    if death:
        return f"d. {year(death)}"
    if floruit:
        return f"fl. {floruit}"
    return ""


# --------------------------------------------------------------------------------------------
# The model


class EditionModel:
    """The edition as one consistent whole (see the module docstring for the API)."""

    def __init__(self) -> None:
        self.documents: list[Document] = []
        self.entries: dict[str, Entry] = {}
        self.mentions: list[Mention] = []
        self.dates: list[DateRef] = []
        self.citations: list[Citation] = []
        self._anchors: dict[etree._Element, str] = {}
        self._doc_of_tei: dict[etree._Element, Document] = {}
        self._by_id: dict[str, Document] = {}
        # (resolved file path, xml:id) -> entry key
        self._targets: dict[tuple[str, str], str] = {}
        self._by_source: dict[str, list[Document]] = defaultdict(list)
        self._mentions_of: dict[str, list[Mention]] = defaultdict(list)
        self._citations_of: dict[str, list[Citation]] = defaultdict(list)
        self._date_of: dict[etree._Element, DateRef] = {}
        self._ids: dict[str, dict[str, etree._Element]] = {}  # doc id -> xml:id -> element
        # The same pointers recur thousands of times: resolve each (pointer, document) once.
        self._resolved: dict[tuple[str, str], list[str]] = {}
        self._base_paths: dict[tuple[str, str], str] = {}

    # -- documents

    @property
    def texts(self) -> list[Document]:
        return [d for d in self.documents if d.kind == "text"]

    @property
    def registers(self) -> list[Document]:
        return [d for d in self.documents if d.kind == "register"]

    @property
    def front(self) -> list[Document]:
        return [d for d in self.documents if d.kind == "front"]

    def document(self, doc_id: str) -> Document | None:
        return self._by_id.get(doc_id)

    def doc_of(self, el: etree._Element) -> Document | None:
        """The document (TEI element) an element belongs to."""
        return _nearest(self._doc_of_tei, el)

    # -- entries

    def entries_of(self, kind: str) -> list[Entry]:
        """Entries of one kind: persons by surname, the others by standard name."""
        found = [e for e in self.entries.values() if e.kind == kind]
        return sorted(found, key=lambda e: (e.sort_key.casefold(), e.name.casefold(), e.key))

    def mentions_of(self, key: str) -> list[Mention]:
        return self._mentions_of.get(key, [])

    def citations_of(self, key: str) -> list[Citation]:
        return self._citations_of.get(key, [])

    def date_of(self, el: etree._Element) -> DateRef | None:
        return self._date_of.get(el)

    # -- pointers and anchors

    def resolve(self, ref: str | None, doc: Document | None) -> list[str]:
        """Entry keys named by a pointer (whitespace-separated list of URIs).

        ``persons.xml#x`` is resolved against the referring file, ``#x`` within it. Pointers
        that name no register entry are left out.
        """
        if not ref or doc is None:
            return []
        cached = self._resolved.get((ref, doc.id))
        if cached is not None:
            return list(cached)
        keys: list[str] = []
        for uri in ref.split():
            target = self._target_of(uri, doc)
            if target is not None and target in self._targets:
                keys.append(self._targets[target])
        self._resolved[(ref, doc.id)] = keys
        return list(keys)

    def _file_of(self, base: str, doc: Document) -> str:
        """The absolute path a relative file reference in ``doc`` names (cached)."""
        key = (base, doc.id)
        path = self._base_paths.get(key)
        if path is None:
            if base:
                path = str(resolved_path(doc.source.path.parent / unquote(base)))
            else:
                path = _path_key(doc.source.path)
            self._base_paths[key] = path
        return path

    def _target_of(self, uri: str, doc: Document) -> tuple[str, str] | None:
        base, frag = urldefrag(uri)
        if not frag:
            return None
        frag = unquote(frag)
        if base and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", base):
            return None  # an absolute URI points outside the edition
        return (self._file_of(base, doc), frag)

    def anchor(self, el: etree._Element) -> str | None:
        """The stable anchor of an anchorable element, else None."""
        return self._anchors.get(el)

    def block_anchor(self, el: etree._Element) -> str | None:
        """The anchor of the innermost paragraph, note or block that holds ``el``."""
        return _nearest(self._anchors, el)

    def target_in(self, uri: str, doc: Document) -> tuple[Document, str] | None:
        """The document and anchor a ``#id`` or ``file.xml#id`` pointer names, if any."""
        base, frag = urldefrag(uri)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", base):
            return None
        docs = [doc] if not base else self._by_source.get(self._file_of(base, doc), [])
        frag = unquote(frag)
        for candidate in docs:
            if not frag:
                return candidate, ""
            el = self._id_index(candidate).get(frag)
            if el is not None:
                return candidate, self.block_anchor(el) or frag
        return None

    def linked_documents(self, doc: Document) -> list[Document]:
        """The documents of every other file ``doc`` points into (``file.xml#id``), in the
        order first named: what a page of ``doc`` shows of others depends on them only."""
        found: dict[str, Document] = {}
        seen: set[str] = set()
        for el in doc.tei.iter():
            if not isinstance(el.tag, str):
                continue
            for value in el.attrib.values():
                if "#" not in value and ".xml" not in value:
                    continue
                for token in value.split():
                    base = token.partition("#")[0]
                    if not base or base in seen:
                        continue
                    seen.add(base)
                    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", base):
                        continue
                    for other in self._by_source.get(self._file_of(base, doc), []):
                        found.setdefault(other.id, other)
        return list(found.values())

    def _id_index(self, doc: Document) -> dict[str, etree._Element]:
        """xml:id → element for one document, built once (pointers are looked up often)."""
        index = self._ids.get(doc.id)
        if index is None:
            index = {}
            for el in doc.tei.iter():
                xml_id = el.get(XML_ID) if isinstance(el.tag, str) else None
                if xml_id and xml_id not in index:
                    index[xml_id] = el
            self._ids[doc.id] = index
        return index


def _nearest(mapping: dict, el: etree._Element):
    """The value ``mapping`` gives ``el`` or its nearest ancestor that has one, else None."""
    node: etree._Element | None = el
    while node is not None:
        found = mapping.get(node)
        if found is not None:
            return found
        node = node.getparent()
    return None


@lru_cache(maxsize=65536)
def _path_key(path: Path) -> str:
    # Cached: asked once per register entry, and resolving a path asks the file system.
    return str(resolved_path(path))


# --------------------------------------------------------------------------------------------
# Building


def build_model(edition: Edition) -> EditionModel:
    """Build the model of a loaded edition: documents, entries, mentions, dates, citations."""
    model = EditionModel()
    used_ids: Counter[str] = Counter()
    for source in edition.sources:
        for index, tei in enumerate(_tei_members(source.root)):
            doc = _make_document(source, tei, index, used_ids)
            model.documents.append(doc)
            model._by_id[doc.id] = doc
            model._doc_of_tei[tei] = doc
            model._by_source[_path_key(source.path)].append(doc)
    for doc in model.documents:
        _collect_entries(model, doc)
    for doc in model.documents:
        _assign_anchors(model, doc)
    for doc in model.texts + model.front:
        _collect_references(model, doc)
    model.dates.sort(key=lambda d: (d.sort_key, d.doc_id))
    return model


def _tei_members(root: etree._Element) -> list[etree._Element]:
    if root.tag == f"{T}teiCorpus":
        return [el for el in root.iter(f"{T}TEI") if not quoted(el)]
    if root.tag != f"{T}TEI":
        return []
    # TEI P5 lets a TEI hold TEI (a collection in one file): the inner ones are the
    # documents, and the outer one counts too only when it has a text of its own. A TEI
    # quoted in an egXML is an example, not a document.
    inner = [el for el in root.iter(f"{T}TEI") if el is not root and not quoted(el)]
    if not inner:
        return [root]
    own = any(child.tag in (f"{T}text", f"{T}standOff", f"{T}facsimile") for child in root)
    return ([root] if own else []) + inner


def _make_document(
    source: Source, tei: etree._Element, index: int, used_ids: Counter[str]
) -> Document:
    text = tei.find(f"{T}text")
    stem = source.path.stem
    single = index == 0 and source.root is tei
    raw_id = tei.get(XML_ID) or (stem if single else f"{stem}-{index + 1}")
    used_ids[raw_id] += 1
    doc_id = raw_id if used_ids[raw_id] == 1 else f"{raw_id}-{used_ids[raw_id]}"
    title_el = tei.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
    titles = tei.findall(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
    for candidate in titles:
        if candidate.get("type") in (None, "main"):
            title_el = candidate
            break
    title = text_of(title_el) or doc_id
    authors = [
        name for a in tei.findall(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}author")
        if (name := author_name(a))
    ]
    lang = (text.get(XML_LANG) if text is not None else None) or tei.get(XML_LANG)
    kind = _classify(stem, tei, text)
    return Document(
        id=doc_id, kind=kind, source=source, tei=tei, text=text, title=title,
        authors=authors, slug=slugify(doc_id), path=display_path(source.path), lang=lang,
    )


FRONT_STEMS = {"edition", "index", "about", "front", "frontmatter", "introduction"}
FRONT_TYPES = {"front", "frontmatter", "edition", "about", "introduction"}


def _classify(stem: str, tei: etree._Element, text: etree._Element | None) -> str:
    if text is None:
        return "register" if next(tei.iter(*LIST_TAGS), None) is not None else "front"
    if (text.get("type") or "").lower() in FRONT_TYPES or stem.lower() in FRONT_STEMS:
        return "front"
    body = text.find(f"{T}body")
    if body is not None and _only_lists(body) and _has_entries(body):
        return "register"
    return "text"


def _has_entries(body: etree._Element) -> bool:
    """Whether the lists hold an entry other documents can point at (one with an xml:id): a
    body of lists with none (a document's bibliography, say) is a text to read."""
    return any(entry.get(XML_ID) for lst in body.iter(*LIST_TAGS) for entry in lst
               if isinstance(entry.tag, str))


def _only_lists(container: etree._Element) -> bool:
    """True when the body holds lists (and headings/divisions around them) and nothing to read."""
    found = False
    for child in container:
        if not isinstance(child.tag, str):
            continue
        if child.tag in LIST_TAGS:
            found = True
        elif local(child) in ("head", "note") or child.tag == f"{T}desc":
            continue
        elif local(child).startswith("div"):
            inner = _only_lists(child)
            if not inner:
                return False
            found = True
        else:
            return False
    return found


# -- entries


def _collect_entries(model: EditionModel, doc: Document) -> None:
    for lst in doc.tei.iter(*LIST_TAGS):
        for el in lst:
            if el.tag in ENTRY_TAGS and el.get(XML_ID):
                _add_entry(model, doc, el)
            elif el.tag in LIST_TAGS:
                continue  # nested lists are met by iter()


def _add_entry(model: EditionModel, doc: Document, el: etree._Element) -> None:
    xml_id = el.get(XML_ID)
    assert xml_id
    kind = ENTRY_TAGS[el.tag]
    target = (_path_key(doc.source.path), xml_id)
    if target in model._targets:
        return
    key = xml_id if xml_id not in model.entries else f"{doc.slug}-{xml_id}"
    maker = {"person": _person, "place": _place, "org": _org, "work": _work}[kind]
    entry = maker(el, key, xml_id, doc.id)
    model.entries[key] = entry
    model._targets[target] = key


def _names(el: etree._Element, tag: str) -> tuple[str, list[str], etree._Element | None]:
    names = el.findall(f"{T}{tag}") or el.findall(f"{T}name")
    if not names:
        return "", [], None
    standard = names[0]
    for candidate in names:
        if candidate.get("type") in ("standard", "main", "reg", "full") or candidate.get(
            "full") == "yes":
            standard = candidate
            break
    variants = [text_of(n) for n in names if n is not standard and text_of(n)]
    return text_of(standard), variants, standard


def _description(el: etree._Element) -> str:
    for tag in ("note", "desc", "occupation", "state", "trait", "event"):
        found = el.find(f"{T}{tag}")
        if found is not None and text_of(found):
            return text_of(found)
    return ""


def _when(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    return (el.get("when") or el.get("notBefore") or el.get("from") or el.get("notAfter")
            or el.get("to") or text_of(el) or None)


def _person(el: etree._Element, key: str, xml_id: str, doc_id: str) -> Entry:
    name, variants, standard = _names(el, "persName")
    if not name:
        name = text_of(el.find(f"{T}name")) or xml_id
    surname = ""
    if standard is not None:
        surname = text_of(standard.find(f"{T}surname"))
        if not surname:
            # No <surname>: the last word of the name, leaving out bracketed additions.
            words = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name).split()
            surname = words[-1] if words else ""
    birth = _when(el.find(f"{T}birth"))
    death = _when(el.find(f"{T}death"))
    floruit = _when(el.find(f"{T}floruit"))
    sort_key = f"{surname or name} {name}"
    return Entry(
        key=key, id=xml_id, kind="person", name=name, sort_key=sort_key, variants=variants,
        dates=_life_dates(birth, death, floruit), birth=birth, death=death,
        description=_description(el), coordinates=None, element=el, doc_id=doc_id,
    )


def _coordinates(el: etree._Element) -> tuple[float, float] | None:
    geo = el.find(f"{T}location/{T}geo")
    if geo is None:
        geo = el.find(f".//{T}geo")
    if geo is None or not text_of(geo):
        return None
    numbers = re.findall(r"-?\d+(?:\.\d+)?", text_of(geo))
    if len(numbers) < 2:
        return None
    lat, lon = float(numbers[0]), float(numbers[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _place(el: etree._Element, key: str, xml_id: str, doc_id: str) -> Entry:
    name, variants, _ = _names(el, "placeName")
    if not name:
        for tag in ("settlement", "region", "country", "geogName"):
            name = text_of(el.find(f"{T}{tag}"))
            if name:
                break
    name = name or xml_id
    fields = {}
    if el.get("type"):
        fields["type"] = el.get("type") or ""
    country = text_of(el.find(f".//{T}country"))
    if country and country != name:
        fields["country"] = country
    return Entry(
        key=key, id=xml_id, kind="place", name=name, sort_key=name, variants=variants,
        dates="", birth=None, death=None, description=_description(el),
        coordinates=_coordinates(el), element=el, doc_id=doc_id, fields=fields,
    )


def _org(el: etree._Element, key: str, xml_id: str, doc_id: str) -> Entry:
    name, variants, _ = _names(el, "orgName")
    name = name or xml_id
    birth = _when(el.find(f"{T}event[@type='founded']")) or _when(el.find(f"{T}birth"))
    death = _when(el.find(f"{T}event[@type='dissolved']")) or _when(el.find(f"{T}death"))
    fields = {"type": el.get("type") or ""} if el.get("type") else {}
    return Entry(
        key=key, id=xml_id, kind="org", name=name, sort_key=name, variants=variants,
        dates=_life_dates(birth, death, None), birth=birth, death=death,
        description=_description(el), coordinates=None, element=el, doc_id=doc_id, fields=fields,
    )


def _names_list(els: list[etree._Element]) -> str:
    names = [text_of(e) for e in els if text_of(e)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def work_parts(el: etree._Element) -> dict[str, str]:
    """The parts of a work's citation: author, title, level ("a" part of / "m" whole), in
    (container title), editor, place, publisher, date, pages, url."""
    analytic = el.find(f"{T}analytic")
    monogr = el.find(f"{T}monogr")
    parts: dict[str, str] = {}
    if el.tag == f"{T}biblStruct" and monogr is not None:
        main = analytic if analytic is not None else monogr
        parts["author"] = _names_list(main.findall(f"{T}author"))
        parts["title"] = text_of(main.find(f"{T}title"))
        if analytic is not None:
            parts["level"] = "a"
            parts["in"] = text_of(monogr.find(f"{T}title"))
            parts["editor"] = _names_list(monogr.findall(f"{T}editor"))
        else:
            parts["level"] = "m"
            parts["editor"] = _names_list(monogr.findall(f"{T}editor"))
        imprint = monogr.find(f"{T}imprint")
        scope = el.find(f".//{T}biblScope")
        source = imprint if imprint is not None else monogr
    else:
        titles = el.findall(f"{T}title")
        parts["author"] = _names_list(el.findall(f"{T}author"))
        parts["editor"] = _names_list(el.findall(f"{T}editor"))
        main_title = titles[0] if titles else None
        container = None
        for t in titles:
            if t.get("level") == "a":
                main_title = t
            elif t.get("level") in ("j", "m", "s") and main_title is not t:
                container = t
        if main_title is not None and main_title.get("level") == "a" and container is not None:
            parts["level"] = "a"
            parts["in"] = text_of(container)
        else:
            parts["level"] = "m"
        parts["title"] = text_of(main_title)
        scope = el.find(f"{T}biblScope")
        source = el
    parts["place"] = text_of(source.find(f".//{T}pubPlace"))
    parts["publisher"] = text_of(source.find(f".//{T}publisher"))
    date_el = source.find(f".//{T}date")
    parts["date"] = text_of(date_el) or (date_el.get("when", "") if date_el is not None else "")
    parts["pages"] = text_of(scope) if scope is not None else ""
    ptr = el.find(f".//{T}ptr")
    parts["url"] = (ptr.get("target") or "") if ptr is not None else ""
    if not parts["title"]:
        parts["title"] = text_of(el)
    return {k: v for k, v in parts.items() if v}


def format_citation(parts: dict[str, str]) -> str:
    """One citation style for every work (Chicago-like notes style).

    Author, Title, in Container, ed. Editor (Place: Publisher, Date), pages; the title of a
    part (article, chapter) in quotation marks, as a bibliography writes it.
    """
    out: list[str] = []
    if parts.get("author"):
        out.append(parts["author"] + ",")
    title = parts.get("title", "")
    out.append(f"“{title}”" if parts.get("level") == "a" else title)
    if parts.get("in"):
        out[-1] += ","
        out.append("in " + parts["in"])
    if parts.get("editor"):
        out[-1] += ","
        out.append("ed. " + parts["editor"])
    imprint = ": ".join(x for x in (parts.get("place"), parts.get("publisher")) if x)
    imprint = ", ".join(x for x in (imprint, parts.get("date")) if x)
    if imprint:
        out.append(f"({imprint})")
    text = " ".join(out)
    if parts.get("pages"):
        text += ", " + parts["pages"]
    return text.strip() + "."


def _work(el: etree._Element, key: str, xml_id: str, doc_id: str) -> Entry:
    parts = work_parts(el)
    name = parts.get("title") or xml_id
    surname = (parts.get("author", "").split(",")[0].split(" and ")[0].split() or [""])[-1]
    # No author: the title sorts the work, without its opening quotation marks or brackets.
    sort_key = surname or re.sub(r"^\W+", "", name)
    date = parts.get("date", "")
    fields = {k: v for k, v in parts.items() if k not in ("title",)}
    return Entry(
        key=key, id=xml_id, kind="work", name=name,
        sort_key=f"{sort_key} {name}".strip() if surname else sort_key,
        variants=[], dates=date, birth=None, death=None,
        description=_description(el) if el.find(f"{T}note") is not None else "",
        coordinates=None, element=el, doc_id=doc_id, citation=format_citation(parts),
        fields=fields,
    )


# -- anchors


def _is_block(el: etree._Element) -> bool:
    if el.tag not in BLOCK_TAGS:
        return False
    if el.tag == f"{T}note":
        return True
    if el.tag in INLINE_CAPABLE:
        # A quotation inside a paragraph is part of it; a block quotation stands alone.
        parent = el.getparent()
        while parent is not None:
            if parent.tag in PARA_LEVEL and parent.tag != f"{T}note":
                return el.tag == f"{T}l" and parent.tag != f"{T}p"
            if parent.tag == f"{T}note":
                return False
            parent = parent.getparent()
    return True


# The ids the web edition's page frame gives its own elements (html/layout.xsl, the scripts
# look them up): a TEI block with one of them as xml:id gets another anchor.
PAGE_IDS = frozenset({
    "cite-title", "explore-title", "main", "notes-title", "popover", "q", "search-results",
    "search-status", "show-source", "switches-title", "text-title", "texts-title", "toc-title",
})


def _assign_anchors(model: EditionModel, doc: Document) -> None:
    root = doc.text if doc.text is not None else None
    if root is None:
        return
    taken = {el.get(XML_ID) for el in doc.tei.iter() if el.get(XML_ID)}
    counters: Counter[str] = Counter()
    notes = [el for el in root.iter(f"{T}note")]
    n_counts = Counter(n.get("n") for n in notes if n.get("n"))
    given: set[str] = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or not _is_block(el):
            continue
        name = local(el)
        counters[name] += 1
        if el.get(XML_ID) and el.get(XML_ID) not in given and el.get(XML_ID) not in PAGE_IDS:
            anchor = el.get(XML_ID) or ""
        elif el.get(XML_ID):  # an id the page itself uses ("popover", "main"): made unique
            anchor = el.get(XML_ID) or ""
            while anchor in taken or anchor in given or anchor in PAGE_IDS:
                anchor += "-a"
        else:
            if name == "note":
                n = el.get("n")
                base = f"note-{slugify(n)}" if n and n_counts[n] == 1 else f"note-{counters[name]}"
            else:
                base = f"{name.lower()}-{counters[name]}"
            anchor = base
            while anchor in taken or anchor in given:
                anchor += "-a"
        given.add(anchor)
        model._anchors[el] = anchor
        doc.blocks.append(el)
    running = 0
    for el in notes:
        editorial = el.get("type") == "editorial"
        # Numbered in sequence: the notes that stand apart (footnotes, endnotes), not those
        # read in place, which take no number (reading.note_stands_apart).
        if not editorial and note_stands_apart(el):
            running += 1
        n = el.get("n") or (str(running) if not editorial and note_stands_apart(el) else "")
        anchor = model._anchors[el]
        doc.notes.append(Note(
            anchor=anchor, n=n, element=el, call_anchor=f"{anchor}-call", editorial=editorial,
        ))


# -- references


def _snippet(block: etree._Element | None, target: etree._Element, width: int = 90,
             texts: dict[etree._Element, tuple[str, str, dict]] | None = None) -> str:
    """Some words either side of ``target`` in ``block``. ``texts`` caches what each block
    gives (its text, and where each of its elements starts in it): a paragraph with many
    dates is read once, not once per date."""
    if block is None:
        return text_of(target)
    cached = texts.get(block) if texts is not None else None
    if cached is None:
        raw, starts = _text_offsets(block)
        cached = (text_of(block), raw, starts)
        if texts is not None:
            texts[block] = cached
    whole, raw, starts = cached
    offset = starts.get(target)
    if offset is None:
        return whole[: width * 2]
    prefix = " ".join(raw[:offset].split()) + (" " if raw[:offset][-1:].isspace() else "")
    prefix = prefix.lstrip()
    start = max(0, len(prefix) - width)
    end = len(prefix) + len(text_of(target)) + width
    snippet = whole[start:end]
    return ("…" if start > 0 else "") + snippet.strip() + ("…" if end < len(whole) else "")


def _text_offsets(block: etree._Element) -> tuple[str, dict[etree._Element, int]]:
    """The text of ``block`` (comments' and processing instructions' own text left out) and
    the offset in it at which each element inside starts."""
    parts: list[str] = []
    starts: dict[etree._Element, int] = {}
    pos = 0
    for event, el in etree.iterwalk(block, events=("start", "end")):
        if event == "start":
            if isinstance(el.tag, str):
                starts[el] = pos
                if el.text:
                    parts.append(el.text)
                    pos += len(el.text)
        elif el is not block and el.tail:
            parts.append(el.tail)
            pos += len(el.tail)
    return "".join(parts), starts


def _julian_calendars(doc: Document) -> set[str]:
    ids: set[str] = set()
    for cal in doc.tei.iter(f"{T}calendar"):
        cid = cal.get(XML_ID) or ""
        if "julian" in (cid + " " + text_of(cal)).lower():
            ids.add(cid)
    return ids


def _collect_references(model: EditionModel, doc: Document) -> None:
    if doc.text is None:
        return
    julian = _julian_calendars(doc)
    note_stack: dict[etree._Element, Note] = {n.element: n for n in doc.notes}
    block_texts: dict[etree._Element, tuple[str, str, dict]] = {}
    for el in doc.text.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in NAME_TAGS and (el.get("ref") or el.get("key")):
            _add_mentions(model, doc, el, note_stack)
        elif el.tag == f"{T}bibl" and el.get("corresp"):
            _add_citations(model, doc, el, el.get("corresp"), note_stack)
        elif el.tag == f"{T}date" and (el.get("when") or el.get("when-custom") or el.get("from")
                                       or el.get("notBefore")):
            _add_date(model, doc, el, julian, block_texts)


def _enclosing_note(el: etree._Element, notes: dict[etree._Element, Note]) -> Note | None:
    node = el.getparent()
    while node is not None:
        if node in notes:
            return notes[node]
        node = node.getparent()
    return None


def _add_mentions(model, doc, el, notes) -> None:
    keys = model.resolve(el.get("ref"), doc)
    if not keys and el.get("key"):
        keys = [el.get("key")] if el.get("key") in model.entries else []
    note = _enclosing_note(el, notes)
    anchor = model.block_anchor(el)
    for key in keys:
        entry = model.entries[key]
        mention = Mention(
            key=key, kind=entry.kind, doc_id=doc.id, anchor=anchor, element=el,
            in_note=note is not None,
        )
        model.mentions.append(mention)
        model._mentions_of[key].append(mention)
        if entry.kind == "work" and note is not None:
            _cite(model, doc, key, note, el)


def _add_citations(model, doc, el, corresp, notes) -> None:
    note = _enclosing_note(el, notes)
    for key in model.resolve(corresp, doc):
        entry = model.entries[key]
        mention = Mention(
            key=key, kind=entry.kind, doc_id=doc.id, anchor=model.block_anchor(el), element=el,
            in_note=note is not None,
        )
        model.mentions.append(mention)
        model._mentions_of[key].append(mention)
        if note is not None:
            _cite(model, doc, key, note, el)


def _cite(model, doc, key, note: Note, el) -> None:
    citation = Citation(key=key, doc_id=doc.id, anchor=note.anchor, note_n=note.n, element=el)
    model.citations.append(citation)
    model._citations_of[key].append(citation)


def _add_date(model, doc, el, julian: set[str],
              block_texts: dict[etree._Element, tuple[str, str, dict]] | None = None) -> None:
    when = el.get("when") or el.get("from") or el.get("notBefore") or ""
    custom = el.get("when-custom")
    method = (el.get("datingMethod") or "").lstrip("#")
    jul = None
    if custom and (method in julian or "julian" in method.lower() or (not method and when)):
        jul = custom
    if not when and custom:
        when = custom  # no Gregorian value given: show what there is
    to = el.get("to") or el.get("notAfter")
    label = format_date(when, jul)
    if to and to != when:
        label = f"{label} – {format_date(to)}"
    block = None
    node = el.getparent()
    while node is not None:
        if model.anchor(node) is not None:
            block = node
            break
        node = node.getparent()
    ref = DateRef(
        when=when, julian=jul, label=label, sort_key=_date_sort_key(when),
        snippet=_snippet(block, el, texts=block_texts), doc_id=doc.id,
        anchor=model.block_anchor(el), element=el,
        text=text_of(el),
    )
    model.dates.append(ref)
    model._date_of[el] = ref

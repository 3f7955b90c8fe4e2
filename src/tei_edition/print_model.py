"""The print model: what the print stylesheet needs for one book, prepared from the edition model.

A *book* is one PDF: the whole edition (front matter, every text, indexes, bibliography) or a
single text (with its own indexes). For each book this module prepares, with lxml and never by
string-building:

- the book document given to ``xslt/print.xsl``: ``<te:book>`` holding the title-page data and
  an annotated copy of each TEI document, in which every decision that needs the whole edition
  is already made as an attribute in the project namespace (``urn:tei-edition``, as in
  ``xslt/common.xsl``): ``te:anchor`` (the model's stable anchor, prefixed with the document's
  slug so that ids stay unique in a book of several documents), ``te:n`` / ``te:call`` /
  ``te:editorial`` / ``te:mark`` for notes and corrections, ``te:mention`` (the id of a mention,
  the target of an index link), ``te:href`` / ``te:external`` for safe links;
- the indexes given as the ``$indexes`` parameter: ``<te:indexes>`` with one ``<te:index>`` per
  kind (persons, places, works) whose entries list ``<te:ref target="…"/>`` for each mention.

The originals are never modified: the model is shared with the web edition.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field

from lxml import etree

from . import TEI_NS
from .annotate import has_scheme, safe_external
from .model import Document, EditionModel, slugify, text_of
from .reading import note_stands_apart
from .sources import resolved_path

TE_NS = "urn:tei-edition"
TE = f"{{{TE_NS}}}"
T = f"{{{TEI_NS}}}"

# The indexes a book carries, in order: (model kind, title, element name of the part).
INDEX_KINDS = (
    ("person", "Index of persons"),
    ("place", "Index of places"),
    ("work", "Bibliography"),
)


@dataclass
class Book:
    """One PDF to write: which documents it holds and how it presents itself."""

    filename: str
    kind: str  # "edition" | "text"
    title: str
    subtitle: str
    responsible: list[tuple[str, str]]  # (role, names) lines of the title page
    date: str
    subject: str
    lang: str
    front: list[Document] = field(default_factory=list)
    texts: list[Document] = field(default_factory=list)

    @property
    def documents(self) -> list[Document]:
        return self.front + self.texts

    @property
    def authors(self) -> list[str]:
        found: list[str] = []
        for role, names in self.responsible:
            if role in ("", "by", "Edited by") and names not in found:
                found.append(names)
        return found


def _header_values(doc: Document, path: str) -> list[str]:
    return [text_of(el) for el in doc.tei.iterfind(path, namespaces={"t": TEI_NS}) if text_of(el)]


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _publication_date(doc: Document) -> str:
    found = _header_values(doc, "t:teiHeader/t:fileDesc/t:publicationStmt/t:date")
    if found:
        return found[0]
    dated = doc.tei.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}date")
    return (dated.get("when") or "") if dated is not None else ""


def _editors(doc: Document) -> list[str]:
    editors = _header_values(doc, "t:teiHeader/t:fileDesc/t:titleStmt/t:editor")
    if not editors:
        # A respStmt whose resp says "edited" names the editors too.
        for resp in doc.tei.iterfind(
            f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}respStmt"
        ):
            if "edit" in text_of(resp.find(f"{T}resp")).lower():
                editors += [text_of(n) for n in resp if n.tag in (f"{T}name", f"{T}persName")]
    return [e for e in editors if e]


def _subtitle(doc: Document) -> str:
    for title in doc.tei.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title"):
        if title.get("type") == "sub" and text_of(title):
            return text_of(title)
    return ""


def _unique(name: str, taken: set[str]) -> str:
    candidate, k = name, 2
    while candidate in taken:
        candidate = f"{name}-{k}"
        k += 1
    taken.add(candidate)
    return candidate


def _edition_order(texts: list[Document], front: list[Document]) -> list[Document]:
    """The texts in the order the front matter names them (``ref/@target``, ``@corresp``…
    pointing at their files), the others after them in the order they were given."""
    if not front:
        return texts
    by_file = {d.source.path.resolve(): d for d in texts}
    ordered: list[Document] = []
    for doc in front:
        base = doc.source.path.parent
        for el in doc.tei.iter():
            for name in ("target", "corresp", "ref", "source"):
                for uri in (el.get(name) or "").split():
                    path = uri.split("#")[0]
                    if not path or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", path):
                        continue
                    found = by_file.get(resolved_path(base / path))
                    if found is not None and found not in ordered:
                        ordered.append(found)
    return ordered + [d for d in texts if d not in ordered]


def plan_books(model: EditionModel) -> list[Book]:
    """The books to print: the whole edition, then one book per text (one PDF each).

    With a single text and no front matter the edition *is* that text, so only one book is
    made. The edition's title page comes from its front matter (``edition.xml``) when there is
    one, else from the first text. The texts come in the order the front matter names them.
    """
    front = model.front
    texts = _edition_order(model.texts, front)
    if not texts and not front:
        return []
    books: list[Book] = []
    taken: set[str] = set()
    lead = front[0] if front else texts[0]
    lang = lead.lang or next((d.lang for d in texts if d.lang), None) or "en"
    if front:
        editors = _editors(lead)
        responsible = [("Edited by", _join(editors))] if editors else []
        if lead.authors:
            responsible.insert(0, ("by", _join(lead.authors)))
        subject = "; ".join(f"{_join(d.authors) + ': ' if d.authors else ''}{d.title}"
                            for d in texts)
    else:
        responsible = [("by", _join(lead.authors))] if lead.authors else []
        subject = lead.title
    single = len(texts) == 1 and not front
    books.append(Book(
        filename=_unique("edition" if not single else texts[0].slug, taken) + ".pdf",
        kind="edition", title=lead.title, subtitle=_subtitle(lead), responsible=responsible,
        date=_publication_date(lead), subject=subject or lead.title, lang=lang,
        front=list(front), texts=list(texts),
    ))
    if single or len(texts) == 0:
        return books
    for doc in texts:
        by = [("by", _join(doc.authors))] if doc.authors else []
        books.append(Book(
            filename=_unique(doc.slug, taken) + ".pdf", kind="text", title=doc.title,
            subtitle=_subtitle(doc), responsible=by, date=_publication_date(doc),
            subject=f"{lead.title}: {doc.title}" if front else doc.title,
            lang=doc.lang or lang, texts=[doc],
        ))
    return books


# --------------------------------------------------------------------------------------------
# Annotated copies


def _letters(k: int) -> str:
    """a, b, …, z, aa, ab, … : the editorial marker series (never confused with 1, 2, 3)."""
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(ord("a") + r) + out
    return out


@dataclass
class Annotated:
    """An annotated copy of one document, and the mention ids it holds by entry key."""

    doc: Document
    tei: etree._Element
    mention_ids: dict[str, list[str]]


def annotate(model: EditionModel, doc: Document, in_book: dict[str, Document]) -> Annotated:
    """A copy of ``doc``'s TEI carrying the model's decisions as ``te:`` attributes."""
    tei = copy.deepcopy(doc.tei)
    tei.tail = None
    twin = dict(zip(doc.tei.iter(), tei.iter(), strict=True))
    prefix = f"{doc.slug}--"
    anchors: set[str] = set()
    for block in doc.blocks:
        anchor = model.anchor(block)
        if anchor:
            twin[block].set(f"{TE}anchor", prefix + anchor)
            anchors.add(prefix + anchor)
    marks = 0
    for note in doc.notes:
        el = twin[note.element]
        el.set(f"{TE}n", note.n)
        el.set(f"{TE}call", prefix + note.call_anchor)
        if not note_stands_apart(note.element):
            el.set(f"{TE}inline", "true")  # read in place, as on the web
        if note.editorial:
            el.set(f"{TE}editorial", "true")
    # The edition's own notes and its corrections share one marker series per document,
    # in reading order, so that "a", "b", "c" follow the text.
    for el in tei.iter(f"{T}note", f"{T}choice", f"{T}app"):
        editorial = el.tag == f"{T}note" and el.get(f"{TE}editorial") == "true"
        # A choice whose edition's reading is not the one printed (a correction, a
        # regularisation) or that prints an abbreviation gets a note: print has no popover.
        # So does an apparatus entry (the critical apparatus at the foot of the page). Inside
        # a note, where no footnote can be, they are printed in place and take no letter.
        correction = el.tag == f"{T}choice" and any(
            el.find(f"{T}{name}") is not None for name in ("corr", "reg", "expan"))
        apparatus = el.tag == f"{T}app"
        if (correction or apparatus) and any(a.tag == f"{T}note" for a in el.iterancestors()):
            continue
        if editorial or correction or apparatus:
            el.set(f"{TE}mark", _letters(marks))
            el.set(f"{TE}mark-id", f"{prefix}ed-{_letters(marks)}")
            marks += 1
    mention_ids: dict[str, list[str]] = {}
    element_ids: dict[etree._Element, str] = {}
    for mention in model.mentions:
        if mention.doc_id != doc.id:
            continue
        mid = element_ids.get(mention.element)
        if mid is None:
            own = model.anchor(mention.element)
            if own:  # a block that is itself a mention (a bibl): its anchor is the target
                mid = prefix + own
            else:
                mid = f"{prefix}m-{len(element_ids) + 1}"
                twin[mention.element].set(f"{TE}mention", mid)
            element_ids[mention.element] = mid
        mention_ids.setdefault(mention.key, []).append(mid)
    _annotate_links(model, doc, tei, twin, in_book)
    return Annotated(doc=doc, tei=tei, mention_ids=mention_ids)


def _annotate_links(model, doc, tei, twin, in_book) -> None:
    originals = {v: k for k, v in twin.items()}
    for el in tei.iter(f"{T}ref", f"{T}ptr"):
        target = (el.get("target") or "").split()
        if not target:
            continue
        uri = target[0]
        external = safe_external(uri)  # the web edition's one rule for outside links
        if external:
            el.set(f"{TE}href", external)
            el.set(f"{TE}external", "true")
            continue
        if has_scheme(uri):
            continue  # javascript:, data:, file: … never become links
        found = model.target_in(uri, model.doc_of(originals[el]) or doc)
        if found is None:
            continue
        target_doc, anchor = found
        if target_doc.id in in_book and anchor and any(
            model.anchor(b) == anchor for b in target_doc.blocks
        ):
            el.set(f"{TE}href", f"#{target_doc.slug}--{anchor}")


# --------------------------------------------------------------------------------------------
# Book document and indexes


def _alphabetic(name: str) -> str:
    """A sort key that files "Ó" with "O" and ignores case."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def index_name(entry) -> str:
    """A person as an index prints it: "Kamenev, Lev"; other entries by their name."""
    if entry.kind != "person":
        return entry.name
    standard = None
    for name in entry.element.iter(f"{T}persName"):
        standard = name
        if name.get("type") in ("standard", "main", "reg", "full"):
            break
    if standard is None:
        return entry.name
    surname = text_of(standard.find(f"{T}surname"))
    forenames = " ".join(text_of(f) for f in standard.findall(f"{T}forename") if text_of(f))
    if surname and forenames:
        return f"{surname}, {forenames}"
    return entry.name


Mentions = dict[str, dict[str, list[str]]]  # entry key → document id → mention ids


def build_book(model: EditionModel, book: Book) -> tuple[etree._Element, Mentions]:
    """The ``<te:book>`` document for ``book`` and, per entry key, its mention ids by document."""
    in_book = {d.id: d for d in book.documents}
    root = etree.Element(f"{TE}book", nsmap={"te": TE_NS})
    root.set("kind", book.kind)
    root.set("lang", book.lang)
    root.set("title", book.title)
    root.set("subtitle", book.subtitle)
    root.set("date", book.date)
    for role, names in book.responsible:
        line = etree.SubElement(root, f"{TE}responsible", role=role)
        line.text = names
    mentions: dict[str, dict[str, list[str]]] = {}
    for part, docs in (("front", book.front), ("texts", book.texts)):
        holder = etree.SubElement(root, f"{TE}{part}")
        for doc in docs:
            annotated = annotate(model, doc, in_book)
            item = etree.SubElement(holder, f"{TE}document", slug=doc.slug, id=doc.id)
            item.set("title", doc.title)
            item.set("author", _join(doc.authors))
            item.append(annotated.tei)
            in_note = _footnote_mentions(annotated.tei)
            for key, ids in annotated.mention_ids.items():
                mentions.setdefault(key, {}).setdefault(doc.id, []).extend(
                    in_note.get(mid, mid) for mid in ids)
    return root, mentions


def _footnote_mentions(tei: etree._Element) -> dict[str, str]:
    """Mention id → id of the footnote it is printed in, for the mentions inside footnotes,
    whose own ids are then removed: a footnote stands on its call's page, so the note is the
    index's anchor for every name in it (and the print HTML has fewer boxes to lay out)."""
    moved: dict[str, str] = {}
    for note in tei.iter(f"{T}note"):
        if not _is_footnote(note):
            continue
        for el in note.iterdescendants():
            mention = el.get(f"{TE}mention") if isinstance(el.tag, str) else None
            if mention:
                moved[mention] = note.get(f"{TE}anchor", "")
                del el.attrib[f"{TE}mention"]
    return moved


def _is_footnote(note: etree._Element) -> bool:
    """A note the print stylesheet makes a footnote of: anchored, with a call, and not inside
    another note (such a note is printed in place, in its note)."""
    return bool(note.get(f"{TE}anchor") and note.get(f"{TE}call") and not note.get(f"{TE}inline")
                and not any(a.tag == f"{T}note" for a in note.iterancestors()))


def build_indexes(
    model: EditionModel,
    book: Book,
    mentions: dict[str, dict[str, list[str]]],
    page_of: dict[str, int] | None = None,
) -> etree._Element:
    """The ``<te:indexes>`` parameter: persons, places and works cited, with their mentions.

    ``page_of`` (mention id → page index, from a first layout) gives each reference its page
    number and merges the mentions of one entry that fall on the same page, so that an index
    line reads "12, 15" rather than "12, 12, 15".
    """
    order = [d.id for d in book.documents]
    root = etree.Element(f"{TE}indexes", nsmap={"te": TE_NS})
    for kind, title in INDEX_KINDS:
        index = etree.SubElement(root, f"{TE}index", kind=kind, title=title)
        index.set("id", f"index-{kind}")
        entries = model.entries_of(kind)
        if kind != "work":
            # An index is read by the name it prints ("Kamenev, Lev"; "Alexander II").
            entries = sorted(entries, key=lambda e: _alphabetic(index_name(e)))
        for entry in entries:
            by_doc = mentions.get(entry.key, {})
            ids = [mid for doc_id in order for mid in by_doc.get(doc_id, [])]
            if not ids and not (kind == "work" and book.kind == "edition"):
                continue  # an index lists what the book mentions; the bibliography all works
            node = etree.SubElement(index, f"{TE}entry", key=entry.key)
            node.set("name", entry.citation if kind == "work" and entry.citation
                     else index_name(entry))
            node.set("dates", entry.dates if kind != "work" else "")
            node.set("description", entry.description if kind != "work" else "")
            node.set("id", f"index-{kind}-{slugify(entry.key)}")
            seen_pages: set[int] = set()
            seen_ids: set[str] = set()
            for mid in ids:
                if mid in seen_ids:
                    continue
                seen_ids.add(mid)
                ref = etree.Element(f"{TE}ref", target=mid)
                if page_of is not None and mid in page_of:
                    if page_of[mid] in seen_pages:
                        continue
                    seen_pages.add(page_of[mid])
                    ref.set("page", str(page_of[mid] + 1))
                node.append(ref)
        if len(index) == 0:
            root.remove(index)
    return root


def footnote_pairs(book_root: etree._Element) -> list[tuple[str, str]]:
    """(call id, note id) of every footnote the print stylesheet makes of a book document:
    the notes, the marked corrections and the apparatus entries that do not stand inside a
    note."""
    pairs: list[tuple[str, str]] = []
    for el in book_root.iter(f"{T}note", f"{T}choice", f"{T}app"):
        if any(a.tag == f"{T}note" for a in el.iterancestors()):
            continue
        if el.tag == f"{T}note" and _is_footnote(el):
            pairs.append((el.get(f"{TE}call", ""), el.get(f"{TE}anchor", "")))
        elif el.tag in (f"{T}choice", f"{T}app") and el.get(f"{TE}mark-id"):
            mark = el.get(f"{TE}mark-id", "")
            pairs.append((mark + "-call", mark))
    return pairs


def block_ids(book_root: etree._Element) -> set[str]:
    """The ids of the blocks of a book that may start a page (not notes, nor inside one)."""
    found: set[str] = set()
    for el in book_root.iter():
        anchor = el.get(f"{TE}anchor") if isinstance(el.tag, str) else None
        if not anchor or el.tag == f"{T}note":
            continue
        if any(a.tag == f"{T}note" for a in el.iterancestors()):
            continue
        found.add(anchor)
    return found

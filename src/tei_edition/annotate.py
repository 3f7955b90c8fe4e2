"""Annotate: a copy of a TEI document carrying every decision the stylesheets need.

The stylesheets never read the corpus; instead each page's TEI is handed over as a copy in
which Python has marked, in the project namespace ``urn:tei-edition`` (prefix ``te:``), the
stable anchors, the register entries names point at, the safe URL of every link, the
normalised dates and the note numbers (see xslt/common.xsl for the list). All URL decisions
are made here, in one place: only ``http``, ``https`` and ``mailto`` URLs leave the site,
in-edition pointers become site links, and anything else (``javascript:``, ``data:``,
``file:``, unknown schemes, links to files the site does not contain) gets no link at all.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Callable, Iterator
from urllib.parse import quote, urlsplit

from lxml import etree

from . import TEI_NS
from .model import NAME_TAGS, Document, EditionModel, format_citation, local, work_parts
from .reading import MOVED_NOTE_PLACES, note_stands_apart

TE_NS = "urn:tei-edition"
TE = f"{{{TE_NS}}}"
T = f"{{{TEI_NS}}}"

SAFE_SCHEMES = {"http", "https", "mailto"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
ISO_DATE = re.compile(r"-?\d{4}(-\d{2}(-\d{2})?)?")

LINK_TAGS = {f"{T}ref", f"{T}ptr"}
EDITORIAL_READINGS = {f"{T}{n}" for n in ("corr", "reg", "expan", "supplied", "ex")}


def safe_external(url: str | None) -> str | None:
    """The URL if it is a safe link to outside the site (http, https, mailto), else None."""
    if not url:
        return None
    cleaned = _CONTROL.sub("", url)
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    # Characters a URL may not hold as they are (quotes, angle brackets, spaces) are encoded.
    return quote(cleaned, safe=":/?#[]@!$&'()*+,;=%~")


def has_scheme(url: str) -> bool:
    """True for an absolute URI (``javascript:x``, ``https://…``), after browser-style cleaning."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", _CONTROL.sub("", url)))


class Linker:
    """Turns TEI pointers into site links; knows which page each document became."""

    def __init__(
        self,
        model: EditionModel,
        page_of: dict[str, str],
        register_page: dict[str, str],
        labels: dict[str, dict[str, str]] | None = None,
    ):
        self.model = model
        self.page_of = page_of  # document id -> file name of its page
        self.register_page = register_page  # kind -> file name
        self.labels = labels or {}  # document id -> anchor -> "note 4", "¶ 12"

    def label(self, uri: str, doc: Document) -> str:
        """A short name for what a pointer points at (the text of an empty ``<ptr>``)."""
        keys = self.model.resolve(uri, doc) if not has_scheme(uri) else []
        if keys:
            return self.model.entries[keys[0]].name
        found = self.model.target_in(uri, doc) if not has_scheme(uri) else None
        if found is None:
            return uri
        target_doc, anchor = found
        where = self.labels.get(target_doc.id, {}).get(anchor, anchor or target_doc.title)
        return where if target_doc is doc else f"{target_doc.title}, {where}"

    def entry_href(self, key: str) -> str:
        entry = self.model.entries[key]
        return f"{self.register_page[entry.kind]}#{quote(key, safe='-._~')}"

    def anchor_href(self, doc_id: str, anchor: str | None) -> str | None:
        page = self.page_of.get(doc_id)
        if page is None:
            return None
        return f"{page}#{quote(anchor, safe='-._~')}" if anchor else page

    def target(self, uri: str, doc: Document) -> tuple[str | None, bool]:
        """(href, external) for a @target/@ref URI; href None when it must not be a link."""
        uri = uri.strip()
        if not uri:
            return None, False
        if has_scheme(uri):
            ext = safe_external(uri)
            return ext, ext is not None
        keys = self.model.resolve(uri, doc)
        if keys:
            return self.entry_href(keys[0]), False
        found = self.model.target_in(uri, doc)
        if found is None:
            return None, False
        target_doc, anchor = found
        if target_doc is doc and anchor:
            return f"#{quote(anchor, safe='-._~')}", False
        return self.anchor_href(target_doc.id, anchor), False


def annotate(
    model: EditionModel,
    doc: Document,
    linker: Linker,
    media: Callable[[str, Document], str | None] | None = None,
) -> etree._Element:
    """A copy of ``doc.tei`` with ``te:*`` attributes for the stylesheets (see module doc)."""
    return _annotate(model, doc, linker, media, copy.deepcopy(doc.tei))


@contextlib.contextmanager
def annotated_in_place(
    model: EditionModel,
    doc: Document,
    linker: Linker,
    media: Callable[[str, Document], str | None] | None = None,
) -> Iterator[etree._Element]:
    """``doc.tei`` itself, annotated for the duration of the ``with`` block, then restored.

    For large texts: a copy would double the memory a document takes. The model and the
    other renderers never see the annotations (they are removed, even on error).
    """
    try:
        yield _annotate(model, doc, linker, media, doc.tei)
    finally:
        strip_annotations(doc.tei)


def annotated_header(
    model: EditionModel, doc: Document, linker: Linker
) -> etree._Element | None:
    """An annotated copy of ``doc``'s ``teiHeader`` alone (the about page needs no more: a
    copy of the whole text would cost as much as its page)."""
    header = doc.tei.find(f"{T}teiHeader")
    if header is None:
        return None
    return _annotate(model, doc, linker, None, copy.deepcopy(header), header)


def strip_annotations(tei: etree._Element) -> None:
    """Remove every ``te:*`` attribute (and the namespace declaration they needed)."""
    for el in tei.iter():
        if not isinstance(el.tag, str):
            continue
        for name in [a for a in el.attrib if a.startswith(TE)]:
            del el.attrib[name]
    etree.cleanup_namespaces(tei)


def _annotate(model, doc, linker, media, tei: etree._Element,
              original: etree._Element | None = None) -> etree._Element:
    """Annotate ``tei``, a copy of ``original`` (``doc.tei`` or one of its parts) or
    ``original`` itself; the model is asked about the original's elements."""
    original = doc.tei if original is None else original
    if original is doc.tei:
        tei.set(f"{TE}title", doc.title)
        tei.set(f"{TE}authors", ", ".join(doc.authors))
    header = tei if tei.tag == f"{T}teiHeader" else tei.find(f"{T}teiHeader")
    source_desc = header.find(f"{T}fileDesc/{T}sourceDesc") if header is not None else None
    if source_desc is not None:
        # Structured descriptions (author, title, imprint) read best as one citation.
        for bibl in source_desc:
            if bibl.tag in (f"{T}bibl", f"{T}biblStruct", f"{T}biblFull"):
                bibl.set(f"{TE}citation", format_citation(work_parts(bibl)))
    notes = {n.element: n for n in doc.notes}
    editorial_no = 0
    pops = 0  # popover ids: numbered in document order, the same in every build
    for orig, el in zip(original.iter(), tei.iter(), strict=True):
        if not isinstance(orig.tag, str):
            continue
        anchor = model.anchor(orig)
        if anchor:
            el.set(f"{TE}anchor", anchor)
        if orig.tag == f"{T}choice" or (
                orig.tag in EDITORIAL_READINGS and orig.getparent() is not None
                and orig.getparent().tag != f"{T}choice"):
            pops += 1
            el.set(f"{TE}pop", f"pop-ed-{pops}")
        if orig.tag in NAME_TAGS or (orig.tag == f"{T}bibl" and orig.get("corresp")):
            _annotate_name(model, doc, linker, orig, el)
        elif orig.tag in LINK_TAGS:
            target = (orig.get("target") or orig.get("url") or "").split()
            if target:
                href, external = linker.target(target[0], doc)
                if href:
                    el.set(f"{TE}href", href)
                    if external:
                        el.set(f"{TE}external", "true")
                    if orig.tag == f"{T}ptr":
                        el.set(f"{TE}label", href if external else linker.label(target[0], doc))
        elif orig.tag == f"{T}date":
            if _annotate_date(model, orig, el):
                pops += 1
                el.set(f"{TE}pop", f"pop-date-{pops}")
        elif orig.tag == f"{T}note" and orig in notes:
            note = notes[orig]
            el.set(f"{TE}place", "end" if note_stands_apart(orig) else "inline")
            if note.editorial:
                editorial_no += 1
                el.set(f"{TE}editorial", "true")
                el.set(f"{TE}n", f"ed.{editorial_no}")
            else:
                el.set(f"{TE}n", note.n)
            el.set(f"{TE}call", note.call_anchor)
            if orig.get("place") not in MOVED_NOTE_PLACES and not note.editorial:
                el.set(f"{TE}read-inline", "true")
        elif orig.tag in (f"{T}graphic", f"{T}media"):
            url = orig.get("url") or ""
            local_src = media(url, doc) if media and url and not has_scheme(url) else None
            if local_src:
                el.set(f"{TE}src", local_src)
            elif safe_external(url):
                el.set(f"{TE}href", safe_external(url) or "")
    return tei


def _annotate_name(model, doc, linker: Linker, orig, el) -> None:
    pointer = orig.get("corresp") if orig.tag == f"{T}bibl" else orig.get("ref")
    keys = model.resolve(pointer, doc)
    if not keys and orig.get("key") in model.entries:
        keys = [orig.get("key")]
    if keys:
        entry = model.entries[keys[0]]
        el.set(f"{TE}key", entry.key)
        el.set(f"{TE}kind", entry.kind)
        el.set(f"{TE}href", linker.entry_href(entry.key))
        return
    kind = NAME_TAGS.get(orig.tag)
    if kind is None and local(orig) in ("name", "rs"):
        kind = {"person": "person", "place": "place", "org": "org", "organisation": "org",
                "organization": "org", "work": "work"}.get((orig.get("type") or "").lower())
    if kind == "work" and not pointer:
        kind = None  # a title without a pointer is typography, not an entity
    if kind:
        el.set(f"{TE}kind", kind)
        ext = safe_external(pointer.split()[0]) if pointer and pointer.split() else None
        if ext:
            el.set(f"{TE}href", ext)
            el.set(f"{TE}external", "true")


def _annotate_date(model: EditionModel, orig, el) -> bool:
    ref = model.date_of(orig)
    if ref is None:
        return False
    el.set(f"{TE}label", ref.label)
    if ref.julian:
        el.set(f"{TE}julian", ref.julian)
    if ISO_DATE.fullmatch(ref.when or "") and not ref.when.startswith("-"):
        el.set(f"{TE}iso", ref.when)
    return True

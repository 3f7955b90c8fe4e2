"""Marks: the mentions of the print edition, taken out of the HTML before WeasyPrint lays it
out and found again in the laid-out text.

The indexes need the page of every mention of a person, place or work, and a mention prints
as plain text: its only use in print is its id, the anchor the index's page number finds and
links to. Left in, each is an inline box of its own, and WeasyPrint lays a text with its
names in boxes (Simkin's has 388) out about a third slower than without them. So print/text.xsl
marks such a span (class ``te-mark``); ``take_out`` splices the marks out of the parsed HTML
(their text stays where it was) and notes, for each, its host (the nearest element left) and
how many characters of the host's text come before it; after layout, ``place`` walks each
host's laid-out text, page by page, and gives each mark the page (and the position) of its
first character, as an anchor of that page, which is where the anchor of the span would have
been. Characters are compared without white space (WeasyPrint collapses it), and a
hyphenation character WeasyPrint added at the end of a line is passed over. Should a host's
laid-out text not be its text (a style that changes the text, content that moved away), the
marks cannot be placed: ``place`` says so and the caller lays the HTML out with its spans.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

MARK_CLASS = "te-mark"
# Elements that leave the flow of their host: footnotes float to the foot of the page
# (print.css, .fn), unless printed in place (.fn-long).
_FOOTNOTE, _IN_PLACE = "fn", "fn-long"
_SOFT_HYPHEN = "\u00ad"


@dataclass
class Mark:
    """A mention taken out: its id, its host element and where in the host's text it stood."""

    id: str
    host: Element
    offset: int  # characters of the host's text (white space left out) before the mention
    host_text: str  # the host's characters, white space left out, when the mark was taken


@dataclass
class _Host:
    element: Element
    text: str  # its characters, white space left out
    marks: list[Mark] = field(default_factory=list)


def _classes(element: Element) -> list[str]:
    return (element.get("class") or "").split()


def _is_mark(element: Element) -> bool:
    return element.tag == "span" and bool(element.get("id")) and MARK_CLASS in _classes(element)


def _floats_away(element: Element) -> bool:
    classes = _classes(element)
    return _FOOTNOTE in classes and _IN_PLACE not in classes


def _chars(text: str | None) -> str:
    return "".join(ch for ch in text or "" if not ch.isspace() and ch != _SOFT_HYPHEN)


def take_out(root: Element) -> list[Mark]:
    """Take the marked spans out of ``root`` (their content stays in place) and return where
    they were. Nothing is taken out of a footnote that leaves the flow."""
    parents = {child: parent for parent in root.iter() for child in parent}
    marked = [el for el in root.iter("span") if _is_mark(el)]
    if not marked:
        return []
    marked_set = set(marked)
    hosts: dict[Element, list[Element]] = {}
    for span in marked:
        host = parents.get(span)
        inside_footnote = False
        ancestor = host
        while ancestor is not None:
            inside_footnote = inside_footnote or _floats_away(ancestor)
            ancestor = parents.get(ancestor)
        while host is not None and host in marked_set:
            host = parents.get(host)
        if host is None or inside_footnote:
            continue
        hosts.setdefault(host, []).append(span)
    marks: list[Mark] = []
    taken: set[Element] = set()
    for host, spans in hosts.items():
        text, offsets = _flowing_text(host, set(spans))
        marks.extend(Mark(span.get("id", ""), host, offsets[span], text) for span in spans)
        taken.update(spans)
    for span in reversed(marked):  # a mark inside a mark goes first
        if span in taken:
            _splice(span, parents)
    return marks


def _flowing_text(host: Element, spans: set[Element]) -> tuple[str, dict[Element, int]]:
    """The characters of ``host``'s flowing text (white space left out; not a footnote's),
    and for each of ``spans`` how many of them come before it. A loop, not a recursion: a
    document may nest deeper than Python's stack."""
    parts: list[str] = []
    before: dict[Element, int] = {}
    count = 0
    todo: list[tuple[bool, Element]] = [(True, host)]
    while todo:
        entering, element = todo.pop()
        chars = _chars(element.text if entering else element.tail)
        if entering and element in spans:
            before[element] = count
        parts.append(chars)
        count += len(chars)
        if entering:
            for child in reversed(element):
                todo.append((False, child))  # its tail, after it
                if not _floats_away(child):
                    todo.append((True, child))
    return "".join(parts), before


def _splice(span: Element, parents: dict[Element, Element]) -> None:
    """Replace ``span`` by its content: its text, its children, its tail."""
    parent = parents[span]
    index = list(parent).index(span)
    children = list(span)
    text = span.text or ""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(span)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
        parents[child] = parent
    tail = span.tail or ""
    if children:
        last = children[-1]
        last.tail = (last.tail or "") + tail
    elif index == 0:
        parent.text = (parent.text or "") + tail
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail


def place(pages: list[Any], marks: list[Mark]) -> bool:
    """Give each mark the page where its first character was laid out, as an anchor of that
    page (``Page.anchors``). Returns False, placing nothing, if some host's laid-out text is
    not its text."""
    from weasyprint.formatting_structure import boxes

    hosts: dict[Element, _Host] = {}
    for mark in marks:
        if mark.host not in hosts:
            hosts[mark.host] = _Host(mark.host, mark.host_text)
        hosts[mark.host].marks.append(mark)
    laid: dict[Element, list[tuple[int, Any]]] = {host: [] for host in hosts}
    first_box: dict[Element, tuple[int, Any]] = {}  # a host's first box: where an empty one is
    for number, page in enumerate(pages):
        # The page's boxes in order, each with the hosts it lies in.
        todo: list[tuple[Any, tuple[Element, ...]]] = [
            (page._page_box, ())]  # noqa: SLF001 - the page's laid-out boxes
        while todo:
            box, open_hosts = todo.pop()
            element = getattr(box, "element", None)
            if element in laid and element not in open_hosts:
                open_hosts = (*open_hosts, element)
                first_box.setdefault(element, (number, box))
            if isinstance(box, boxes.TextBox):
                if "::" not in (box.element_tag or ""):  # generated content is not the text
                    for host in open_hosts:
                        laid[host].append((number, box))
                continue
            todo.extend((child, open_hosts) for child in reversed(getattr(box, "children", ())))
    placed: dict[str, tuple[int, Any]] = {}
    for host in hosts.values():
        if host.element not in first_box:
            continue  # a host not laid out (hidden): no page, as for a span in it
        if not host.text:  # laid out with no text (a name that is all its paragraph holds)
            for mark in host.marks:
                placed[mark.id] = first_box[host.element]
            continue
        where = _align(host.text, laid[host.element])
        if where is None:
            return False
        for mark in host.marks:  # a mark at the very end of its host: its last character
            placed[mark.id] = where[min(mark.offset, len(where) - 1)]
    for mark_id, (number, box) in placed.items():
        anchors = pages[number].anchors
        if mark_id not in anchors:
            anchors[mark_id] = _anchor(anchors, box)
    return True


def _align(text: str, laid: list[tuple[int, Any]]) -> list[tuple[int, Any]] | None:
    """The (page, box) of each character of ``text`` in the laid-out boxes, or None if they
    do not hold the same characters (a hyphen WeasyPrint added at a line end apart)."""
    where: list[tuple[int, Any]] = []
    for page, box in laid:
        hyphen = box.style["hyphenate_character"] or ""
        chars = _chars(box.text)
        for index, ch in enumerate(chars):
            if len(where) < len(text) and _same(ch, text[len(where)]):
                where.append((page, box))
            elif hyphen and chars.endswith(hyphen) and index >= len(chars) - len(hyphen):
                continue  # the hyphen of a word broken at the line end
            else:
                return None
    return where if len(where) == len(text) else None


def _same(laid: str, source: str) -> bool:
    return laid == source or laid.casefold() == source.casefold()


def _anchor(anchors: dict[str, tuple], box: Any) -> tuple:
    """An anchor at ``box``, in the form this WeasyPrint gives its anchors."""
    x, y = box.position_x, box.position_y
    sample = next(iter(anchors.values()), None)
    if sample is not None and len(sample) == 2:
        return (x, y)
    return (x, y, x + box.width, y + box.height)


def iter_marks(root: Element) -> Iterator[Element]:
    """The marked spans of a parsed print HTML (for tests and diagnostics)."""
    return (el for el in root.iter("span") if _is_mark(el))

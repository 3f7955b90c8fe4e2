"""The original reading of a TEI text: what the source says, without the edition's additions.

Used to prove fidelity (every character of the source is in the TEI, and from there in the HTML
and the PDF). The reading of a ``<text>`` is its character data in document order, leaving out
what the edition adds (``corr``, ``reg``, ``expan``, ``supplied``, ``note[@type='editorial']``,
and TEI header-like apparatus such as ``interpGrp``). A ``note`` with ``@place='foot'`` or
``'end'`` stands where its call stood in the source: in the running text it reads as its call
``[n]``, and its own text is read after the running text, as the source's endnote ``[n] text``.
"""

from __future__ import annotations

import re

from lxml import etree

from . import TEI_NS

_T = f"{{{TEI_NS}}}"
EDITORIAL_ADDITIONS = {f"{_T}{name}" for name in ("corr", "reg", "expan", "supplied", "ex")}
MOVED_NOTE_PLACES = {"foot", "end", "bottom"}


def _is_editorial(el: etree._Element) -> bool:
    if el.tag in EDITORIAL_ADDITIONS:
        return True
    return el.tag == f"{_T}note" and el.get("type") == "editorial"


def note_stands_apart(el: etree._Element) -> bool:
    """Whether a note is printed apart from the text (a footnote or endnote, with a number
    and a call): the source placed it at the foot or the end, numbered it, or it is the
    edition's. Any other note (no placement, in the margin, between the lines) is read where
    it stands, on the web and in print, and takes no number."""
    return (el.get("place") in MOVED_NOTE_PLACES or bool(el.get("n"))
            or el.get("type") == "editorial")


def _is_moved_note(el: etree._Element) -> bool:
    return el.tag == f"{_T}note" and el.get("place") in MOVED_NOTE_PLACES and not _is_editorial(el)


def _collect(el: etree._Element, out: list[str], notes: list[etree._Element]) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        if isinstance(child.tag, str):  # skip comments and processing instructions
            if _is_editorial(child):
                pass
            elif _is_moved_note(child):
                notes.append(child)
                out.append(f"[{child.get('n', '')}]")
            else:
                _collect(child, out, notes)
        if child.tail:
            out.append(child.tail)


def original_reading(text: etree._Element) -> str:
    """The source's own text of a TEI ``<text>`` (or any element), notes read at the end."""
    out: list[str] = []
    notes: list[etree._Element] = []
    _collect(text, out, notes)
    # Notes may themselves hold notes (rare); read them in the order they were met.
    index = 0
    while index < len(notes):
        note = notes[index]
        out.append(f"\n[{note.get('n', '')}] ")
        inner: list[etree._Element] = []
        _collect(note, out, inner)
        notes.extend(inner)
        index += 1
    return "".join(out)


def squeeze(text: str) -> str:
    """Text with all whitespace removed: the fidelity comparison is whitespace-blind."""
    return re.sub(r"\s+", "", text)


def first_difference(expected: str, actual: str, context: int = 40) -> str | None:
    """Where two texts first differ once whitespace is set aside, as a readable message."""
    a, b = squeeze(expected), squeeze(actual)
    if a == b:
        return None
    i = 0
    limit = min(len(a), len(b))
    while i < limit and a[i] == b[i]:
        i += 1
    return (
        f"texts differ at character {i} (whitespace removed):\n"
        f"  source: …{a[max(0, i - context): i + context]}…\n"
        f"  TEI:    …{b[max(0, i - context): i + context]}…"
    )

"""The edition in tei/: fidelity to the sources, tagging coverage, notes, registers, validity.

These tests read the edition as it is committed. They measure coverage independently of the
encoders' tagging: person names are found in the text from the register's own name forms and
years by a regular expression, and each occurrence is then checked for the markup around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from conftest import KAMENEV_SOURCE, LEBLANC_SOURCE, TEI_DIR
from lxml import etree

from tei_edition import TEI_NS, XML_NS, reading
from tei_edition.sources import make_parser

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"

TEXTS = {
    "simkin-kamenev.xml": KAMENEV_SOURCE,
    "leblanc-trotsky-krupskaya.xml": LEBLANC_SOURCE,
}
REGISTERS = {
    "persons.xml": "person",
    "places.xml": "place",
    "orgs.xml": "org",
    "works.xml": "bibl",
}
# What a pointer from a text may name in each register (biblStruct works too).
ENTRY_TAGS = {
    "persons.xml": {f"{T}person", f"{T}personGrp"},
    "places.xml": {f"{T}place"},
    "orgs.xml": {f"{T}org"},
    "works.xml": {f"{T}bibl", f"{T}biblStruct"},
}
COVERAGE = 0.97
ISO_DATE = re.compile(
    r"^(-?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?"
    r"|--\d{2}(-\d{2})?|---\d{2})$"
)
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
# A year written in the text: four digits from 1000 to 2099, also inside "1870s" or "1918-21".
YEAR = re.compile(r"(?<!\d)(1\d{3}|20\d{2})(?!\d)")
READABLE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


# -- loading


@cache
def load(name: str) -> etree._ElementTree:
    """Parse one file of tei/ with the project's safe parser; a missing file fails clearly."""
    path = TEI_DIR / name
    if not path.exists():
        pytest.fail(f"{path} does not exist: the edition must have this file (see issue 3)")
    return etree.parse(str(path), make_parser())


def text_of(name: str) -> etree._Element:
    """The <text> element of a text of the edition."""
    text = load(name).getroot().find(f"{T}text")
    if text is None:
        pytest.fail(f"{name} has no <text> element")
    return text


@cache
def register_ids(name: str) -> frozenset[str]:
    """The xml:ids of the entries of one register."""
    root = load(name).getroot()
    return frozenset(
        el.get(XML_ID) for el in root.iter(*ENTRY_TAGS[name]) if el.get(XML_ID) is not None
    )


def resolves(pointer: str | None, register: str) -> bool:
    """Whether every token of a pointer attribute names an entry of ``register``.

    Pointers from the texts are relative URIs such as ``persons.xml#kamenev``.
    """
    if not pointer or not pointer.split():
        return False
    for token in pointer.split():
        file_part, _, fragment = token.partition("#")
        if Path(file_part).name != register or not fragment:
            return False
        if fragment not in register_ids(register):
            return False
    return True


def norm(text: str) -> str:
    return " ".join(text.split())


# -- the original reading, character by character, with the markup around each character


@dataclass(frozen=True)
class Context:
    """What encloses a piece of the original reading."""

    person_refs: frozenset[str]  # persons named by resolving persName/@ref around the text
    in_title: bool
    in_scope: bool  # inside biblScope (page numbers)
    dated: bool  # inside a date with an ISO value


NEUTRAL = Context(frozenset(), False, False, False)


def _is_editorial(el: etree._Element) -> bool:
    if el.tag in reading.EDITORIAL_ADDITIONS:
        return True
    return el.tag == f"{T}note" and el.get("type") == "editorial"


def _is_moved_note(el: etree._Element) -> bool:
    return (
        el.tag == f"{T}note"
        and el.get("place") in reading.MOVED_NOTE_PLACES
        and not _is_editorial(el)
    )


def _enter(context: Context, el: etree._Element) -> Context:
    refs = context.person_refs
    if el.tag == f"{T}persName" and resolves(el.get("ref"), "persons.xml"):
        refs = refs | {token.partition("#")[2] for token in el.get("ref", "").split()}
    dated = context.dated or (
        el.tag == f"{T}date"
        and any(ISO_DATE.match(el.get(attr, "")) for attr in DATE_ATTRS if el.get(attr))
    )
    return Context(
        person_refs=refs,
        in_title=context.in_title or el.tag == f"{T}title",
        in_scope=context.in_scope or el.tag == f"{T}biblScope",
        dated=dated,
    )


def _walk(
    el: etree._Element, context: Context, out: list[tuple[str, Context]], notes: list
) -> None:
    # Mirrors reading.original_reading, keeping the context of every piece of text.
    if el.text:
        out.append((el.text, context))
    for child in el:
        if isinstance(child.tag, str):
            if _is_editorial(child):
                pass
            elif _is_moved_note(child):
                notes.append((child, context))
                out.append((f"[{child.get('n', '')}]", NEUTRAL))
            else:
                _walk(child, _enter(context, child), out, notes)
        if child.tail:
            out.append((child.tail, context))


@dataclass
class Reading:
    """The original reading of a text and the context of each of its characters."""

    text: str
    contexts: list[Context]

    def spans(self, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str], list[Context]]]:
        for match in pattern.finditer(self.text):
            yield match, self.contexts[match.start() : match.end()]


@cache
def annotated_reading(name: str) -> Reading:
    pieces: list[tuple[str, Context]] = []
    notes: list[tuple[etree._Element, Context]] = []
    text = text_of(name)
    _walk(text, NEUTRAL, pieces, notes)
    index = 0
    while index < len(notes):
        note, context = notes[index]
        pieces.append((f"\n[{note.get('n', '')}] ", NEUTRAL))
        _walk(note, _enter(context, note), pieces, notes)
        index += 1
    joined = "".join(piece for piece, _ in pieces)
    # The walk must agree with the project's own definition of the original reading.
    assert joined == reading.original_reading(text), f"{name}: reading walk out of step"
    contexts = [context for piece, context in pieces for _ in piece]
    return Reading(joined, contexts)


# -- fidelity


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_original_reading_is_the_source(name: str) -> None:
    source = TEXTS[name].read_text(encoding="utf-8")
    difference = reading.first_difference(source, reading.original_reading(text_of(name)))
    assert difference is None, f"{name}: {difference}"


# -- persons


def person_forms() -> dict[str, set[str]]:
    """Every name form of the personography (persName texts and surnames) -> person ids."""
    forms: dict[str, set[str]] = {}
    root = load("persons.xml").getroot()
    for person in root.iter(f"{T}person"):
        pid = person.get(XML_ID)
        for name in person.findall(f"{T}persName"):
            candidates = {norm("".join(name.itertext()))}
            candidates |= {norm("".join(s.itertext())) for s in name.iter(f"{T}surname")}
            for form in candidates:
                # Single letters and lower-case words are not names to look for.
                if len(form) >= 3 and (form[0].isupper() or form[0] == "["):
                    forms.setdefault(form, set()).add(pid)
    return forms


@cache
def name_pattern() -> tuple[re.Pattern[str], dict[str, set[str]]]:
    forms = person_forms()
    # Longest forms first, so that "Vladimir Antonov-Ovseenko" wins over "Vladimir Antonov".
    alternatives = sorted(forms, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(word) for word in f.split()) for f in alternatives)
    return re.compile(rf"(?<![\w\[])(?:{body})(?![\w])"), forms


def test_personography_size_and_entries() -> None:
    root = load("persons.xml").getroot()
    persons = list(root.iter(f"{T}person"))
    assert len(persons) >= 60, f"only {len(persons)} persons in persons.xml"
    problems = []
    for person in persons:
        pid = person.get(XML_ID) or "(no xml:id)"
        if not READABLE_ID.match(pid):
            problems.append(f"{pid}: id is not lowercase and hyphenated")
        standard = person.find(f"{T}persName[@type='standard']")
        if standard is None or not norm("".join(standard.itertext())):
            problems.append(f"{pid}: no standard persName")
        description = person.find(f"{T}note[@type='description']")
        if description is None or not norm("".join(description.itertext())):
            problems.append(f"{pid}: no description")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_person_names_are_tagged(name: str) -> None:
    pattern, forms = name_pattern()
    text = annotated_reading(name)
    total, missed = 0, []
    for match, contexts in text.spans(pattern):
        if any(c.in_title for c in contexts):
            continue  # a name inside the title of a work is part of the title
        total += 1
        owners = forms[norm(match.group())]
        word_contexts = [c for ch, c in zip(match.group(), contexts, strict=True) if ch.isalnum()]
        if not all(c.person_refs & owners for c in word_contexts):
            start = max(0, match.start() - 30)
            missed.append(f"  {match.group()!r} in …{norm(text.text[start : match.end() + 30])}…")
    assert total >= 50, f"{name}: only {total} person names found; is the personography loaded?"
    share = 1 - len(missed) / total
    assert share >= COVERAGE, (
        f"{name}: {share:.1%} of {total} person names sit in a persName pointing at the right "
        f"person (need {COVERAGE:.0%}); untagged or mis-tagged:\n" + "\n".join(missed)
    )


# -- years and dates


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_years_are_dated(name: str) -> None:
    text = annotated_reading(name)
    total, missed = 0, []
    for match, contexts in text.spans(YEAR):
        if any(c.in_scope for c in contexts):
            continue  # page numbers in a biblScope are not years
        total += 1
        if not all(c.dated for c in contexts):
            start = max(0, match.start() - 30)
            missed.append(f"  {match.group()} in …{norm(text.text[start : match.end() + 30])}…")
    assert total >= 30, f"{name}: only {total} years found"
    share = 1 - len(missed) / total
    assert share >= COVERAGE, (
        f"{name}: {share:.1%} of {total} years sit in a date with an ISO value "
        f"(need {COVERAGE:.0%}); not dated:\n" + "\n".join(missed)
    )


def _julian_to_gregorian(iso: str) -> date:
    """The Gregorian date of a Julian (Old Style) calendar date, via the Julian day number."""
    year, month, day = (int(part) for part in iso.split("-"))
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return date.fromordinal(jdn - 1721425)


def julian_dates(root: etree._Element) -> Iterator[etree._Element]:
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("when-custom") and el.get("when"):
            yield el


@pytest.mark.parametrize("name", ["persons.xml", *sorted(TEXTS)])
def test_old_style_dates_convert(name: str) -> None:
    """Every @when-custom (Julian) date names the same day as its Gregorian @when."""
    root = load(name).getroot()
    calendars = {c.get(XML_ID) for c in root.iter(f"{T}calendar")}
    problems = []
    for el in julian_dates(root):
        julian, gregorian = el.get("when-custom"), el.get("when")
        line = f"line {el.sourceline}"
        method = el.get("datingMethod", "")
        if not method.startswith("#") or method[1:] not in calendars:
            problems.append(f"{line}: datingMethod {method!r} names no calendar of the header")
            continue
        if len(julian) == 10 and len(gregorian) == 10:
            if _julian_to_gregorian(julian).isoformat() != gregorian:
                expected = _julian_to_gregorian(julian).isoformat()
                problems.append(f"{line}: Julian {julian} is {expected}, not {gregorian}")
        elif gregorian[: len(julian)] != julian[: len(gregorian)] and len(julian) < 10:
            # Month precision: Old Style and New Style months differ by at most one.
            problems.append(f"{line}: Julian {julian} and Gregorian {gregorian} disagree")
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_life_dates_are_ordered() -> None:
    root = load("persons.xml").getroot()
    problems = []
    for person in root.iter(f"{T}person"):
        birth, death = person.find(f"{T}birth"), person.find(f"{T}death")
        if birth is None or death is None:
            continue
        born, died = birth.get("when", ""), death.get("when", "")
        if born and died and born[:4] > died[:4]:
            problems.append(f"{person.get(XML_ID)}: born {born} after death {died}")
    assert not problems, "\n".join(problems)


# -- Le Blanc's notes and their citations


def leblanc_notes() -> list[etree._Element]:
    text = text_of("leblanc-trotsky-krupskaya.xml")
    return [n for n in text.iter(f"{T}note") if _is_moved_note(n)]


def test_leblanc_has_23_numbered_footnotes() -> None:
    notes = leblanc_notes()
    assert [n.get("n") for n in notes] == [str(i) for i in range(1, 24)]
    assert [n.get(XML_ID) for n in notes] == [f"leblanc-note-{i}" for i in range(1, 24)]


STRUCTURE = {f"{T}{n}" for n in ("author", "editor", "date", "pubPlace", "publisher", "biblScope")}


def test_every_note_cites_a_work() -> None:
    problems = []
    for note in leblanc_notes():
        bibls = list(note.iter(f"{T}bibl"))
        good = [
            b
            for b in bibls
            if resolves(b.get("corresp"), "works.xml")
            or (b.find(f"{T}title") is not None and any(c.tag in STRUCTURE for c in b))
        ]
        if not good:
            problems.append(f"note {note.get('n')}: no structured or linked bibl")
        for b in bibls:
            outermost = not any(a.tag == f"{T}bibl" for a in b.iterancestors())
            if b.get("corresp") and not resolves(b.get("corresp"), "works.xml"):
                problems.append(
                    f"note {note.get('n')}: bibl/@corresp {b.get('corresp')!r} "
                    "does not name a work of works.xml"
                )
            has_imprint = any(
                b.find(f"{T}{tag}") is not None for tag in ("pubPlace", "publisher", "date")
            )
            if outermost and not has_imprint and not resolves(b.get("corresp"), "works.xml"):
                shown = norm("".join(b.itertext()))[:60]
                problems.append(
                    f"note {note.get('n')}: short citation {shown!r} does not "
                    "point at its full work (@corresp)"
                )
    assert not problems, "\n".join(problems)


def _points_at_work(el: etree._Element) -> bool:
    return resolves(el.get("corresp"), "works.xml") or (
        el.tag == f"{T}ref" and resolves(el.get("target"), "works.xml")
    )


def test_every_ibid_points_at_a_work() -> None:
    found, problems = 0, []
    for note in leblanc_notes():
        for node in note.xpath(".//text()[contains(., 'Ibid')]"):
            found += 1
            holder = node.getparent() if node.is_text else node.getparent().getparent()
            chain = [holder, *holder.iterancestors()]
            owners = [a for a in chain if a.tag in (f"{T}bibl", f"{T}ref")]
            if not any(_points_at_work(a) for a in owners):
                problems.append(
                    f"note {note.get('n')}: Ibid. not inside a bibl or ref pointing at a work"
                )
    assert found >= 5, f"only {found} Ibid. found in the notes (the source has 5)"
    assert not problems, "\n".join(problems)


def test_kamenev_primary_sources_are_linked() -> None:
    text = text_of("simkin-kamenev.xml")
    linked = {
        b.get("corresp") for b in text.iter(f"{T}bibl") if resolves(b.get("corresp"), "works.xml")
    }
    assert len(linked) >= 12, f"only {len(linked)} distinct works cited by linked bibls"


# -- pointers and registers


def test_front_matter_has_introduction_and_principles() -> None:
    text = text_of("edition.xml")
    kinds = {div.get("type") for div in text.iter(f"{T}div")}
    assert {"introduction", "principles"} <= kinds, f"edition.xml divisions: {sorted(kinds)}"


POINTERS = {
    f"{T}persName": ("ref", "persons.xml"),
    f"{T}placeName": ("ref", "places.xml"),
    f"{T}orgName": ("ref", "orgs.xml"),
    f"{T}title": ("ref", "works.xml"),
}


@pytest.mark.parametrize("name", [*sorted(TEXTS), "edition.xml"])
def test_pointers_resolve(name: str) -> None:
    problems = []
    for el in text_of(name).iter(*POINTERS):
        attr, register = POINTERS[el.tag]
        if el.get(attr) is not None and not resolves(el.get(attr), register):
            problems.append(
                f"line {el.sourceline}: {etree.QName(el).localname}/@{attr}="
                f"{el.get(attr)!r} names no entry of {register}"
            )
    assert not problems, f"{name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", sorted(REGISTERS))
def test_register_ids_are_readable_and_unique(name: str) -> None:
    body = load(name).getroot().find(f"{T}text")
    assert body is not None, f"{name} has no <text>"
    ids = [el.get(XML_ID) for el in body.iter(*ENTRY_TAGS[name])]
    assert ids, f"{name} has no entries"
    assert None not in ids, f"{name}: an entry has no xml:id"
    bad = [i for i in ids if not READABLE_ID.match(i)]
    assert not bad, f"{name}: ids not lowercase-hyphenated: {bad}"
    assert len(ids) == len(set(ids)), f"{name}: duplicate ids"


def test_register_internal_pointers_resolve() -> None:
    """Authors, editors, places and hosts named inside the registers exist."""
    problems = []
    for name in REGISTERS:
        for el in (
            load(name)
            .getroot()
            .iter(f"{T}persName", f"{T}placeName", f"{T}title", f"{T}relatedItem", f"{T}country")
        ):
            pointer = el.get("ref") or el.get("target")
            if not pointer:
                continue
            token = pointer if "." in pointer.partition("#")[0] else name + pointer
            register = token.partition("#")[0]
            if register in REGISTERS and not resolves(token, register):
                problems.append(f"{name} line {el.sourceline}: {pointer!r} does not resolve")
    assert not problems, "\n".join(problems)


# -- validation


def test_edition_validates_without_errors() -> None:
    from tei_edition import validate
    from tei_edition.findings import Severity

    report = validate.validate_paths([TEI_DIR], validate.ValidationOptions(schemas=[]))
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    shown = "\n".join(f.format() for f in errors[:40])
    assert not errors, f"tei-edition validate: {report.summary_line()}\n{shown}"

"""Date rules: real dates, ordered ranges, lives that end after they begin, Old Style readings
that agree with the Gregorian date.

A Julian (Old Style) reading is recorded as ``<date when="1917-10-23" when-custom="1917-10-10"
datingMethod="#julian">``: ``@when`` is Gregorian, ``@when-custom`` is read in the calendar that
``@datingMethod`` points at. A calendar counts as Julian when its xml:id or its description
says "Julian" or "Old Style". Where both dates are days they must be the same day; where one
is only a year or a month, they must overlap (Julian 1917-10 is Gregorian 1917-10-14 to
1917-11-13).
"""

from __future__ import annotations

from lxml import etree

from . import TEI_NS, XML_NS
from .dates import (
    DateError,
    Interval,
    describe,
    julian_interval_to_gregorian,
    overlaps,
    parse_date,
)
from .findings import Finding, Severity
from .locations import finding
from .pointers import EditionIndex, example_elements
from .sources import Source

T = f"{{{TEI_NS}}}"

RULE_INVALID = "date-invalid"
RULE_RANGE = "date-range"
RULE_LIFE = "date-life"
RULE_JULIAN = "date-julian-mismatch"

DATE_ATTRIBUTES = ("when", "from", "to", "notBefore", "notAfter")
# Elements on which @from/@to are not dates (pointers or page numbers) in TEI.
NOT_DATES = {f"{T}{n}" for n in ("span", "app", "locus", "citedRange", "biblScope", "spanGrp")}
_DATE_KEYS = frozenset(
    [*DATE_ATTRIBUTES, *(f"{a}-iso" for a in DATE_ATTRIBUTES),
     *(f"{a}-custom" for a in DATE_ATTRIBUTES)]
)


def check_dates(index: EditionIndex) -> list[Finding]:
    """Every date attribute of every file, and every person's birth and death."""
    findings: list[Finding] = []
    for source in index.sources:
        examples = example_elements(source.root)  # quoted markup in egXML is not checked
        for el in source.root.iter(f"{T}*"):
            if el.tag in NOT_DATES or _DATE_KEYS.isdisjoint(el.attrib.keys()) or el in examples:
                continue
            values = _element_dates(source, el, findings)
            if values:
                findings.extend(_check_ranges(source, el, values))
            if el.get("datingMethod"):
                findings.extend(_check_julian(index, source, el, values))
        for person in source.root.iter(f"{T}person"):
            if person not in examples:
                findings.extend(_check_life(source, person))
    return findings


def _element_dates(source: Source, el: etree._Element, out: list[Finding]) -> dict[str, Interval]:
    """Parse the element's date attributes (reporting the bad ones) into intervals, keyed by
    the attribute name without -iso."""
    values: dict[str, Interval] = {}
    for name in DATE_ATTRIBUTES:
        for attribute, iso in ((name, False), (f"{name}-iso", True)):
            raw = el.get(attribute)
            if raw is None:
                continue
            try:
                values.setdefault(name, parse_date(raw, iso=iso))
            except DateError as exc:
                out.append(finding(
                    source, el, Severity.ERROR, RULE_INVALID, f"@{attribute}: {exc}", attribute,
                ))
    return values


def _check_ranges(source: Source, el: etree._Element, values: dict[str, Interval]) -> list[Finding]:
    found = []
    for low, high in (("from", "to"), ("notBefore", "notAfter")):
        a, b = values.get(low), values.get(high)
        if a and b and a.comparable and b.comparable and a.start > b.end:
            found.append(finding(
                source, el, Severity.ERROR, RULE_RANGE,
                f"@{low} ({describe(a)}) is after @{high} ({describe(b)}): swap them or "
                "correct one", low,
            ))
    return found


def _first_date(el: etree._Element, names: tuple[str, ...]) -> Interval | None:
    """The first comparable date among the attributes named (and their -iso forms)."""
    for name in names:
        for attribute, iso in ((name, False), (f"{name}-iso", True)):
            raw = el.get(attribute)
            if raw:
                try:
                    value = parse_date(raw, iso=iso)
                except DateError:
                    continue
                if value.comparable:
                    return value
    return None


def _earliest(el: etree._Element) -> Interval | None:
    return _first_date(el, ("when", "from", "notBefore"))


def _latest(el: etree._Element) -> Interval | None:
    return _first_date(el, ("when", "to", "notAfter"))


def _check_life(source: Source, person: etree._Element) -> list[Finding]:
    births = [b for b in person.findall(f"{T}birth") if _earliest(b)]
    deaths = [d for d in person.findall(f"{T}death") if _latest(d)]
    if not births or not deaths:
        return []
    birth = min((_earliest(b) for b in births), key=lambda i: i.start)
    death_el = max(deaths, key=lambda d: _latest(d).end)
    death = _latest(death_el)
    if birth.start > death.end:
        name = person.get(f"{{{XML_NS}}}id") or "this person"
        return [finding(
            source, death_el, Severity.ERROR, RULE_LIFE,
            f"{name} dies ({describe(death)}) before being born ({describe(birth)}): check the "
            "dates of birth and death",
        )]
    return []


def is_julian_calendar(calendar: etree._Element) -> bool:
    """A calendar whose id or description names the Julian (Old Style) calendar."""
    text = " ".join([calendar.get(f"{{{XML_NS}}}id", ""), "".join(calendar.itertext())]).lower()
    return "julian" in text or "old style" in text


def _check_julian(
    index: EditionIndex, source: Source, el: etree._Element, values: dict[str, Interval]
) -> list[Finding]:
    """Each ``@X-custom`` read in a Julian calendar agrees with its Gregorian ``@X``."""
    tokens = el.get("datingMethod", "").split()
    if not tokens:
        return []
    res = index.resolve(source, tokens[0])
    if res.status != "found" or res.target is None or res.target.tag != f"{T}calendar":
        return []  # the pointer rules report it
    if not is_julian_calendar(res.target):
        return []
    findings = []
    for name in DATE_ATTRIBUTES:
        attribute = f"{name}-custom"
        raw = el.get(attribute)
        if raw is None:
            continue
        try:
            custom = parse_date(raw, julian=True)
        except DateError as exc:
            findings.append(finding(source, el, Severity.ERROR, RULE_INVALID,
                                    f"@{attribute}: {exc}", attribute))
            continue
        gregorian_value = values.get(name)
        if gregorian_value is None or not gregorian_value.comparable or not custom.comparable:
            continue
        gregorian = julian_interval_to_gregorian(custom)
        if overlaps(gregorian, gregorian_value):
            continue
        written = el.get(name) or el.get(f"{name}-iso")
        findings.append(finding(
            source, el, Severity.ERROR, RULE_JULIAN,
            f"@{attribute}=\"{raw}\" (Julian, Old Style) is {describe(gregorian)} in the "
            f"Gregorian calendar, but @{name}=\"{written}\" says {describe(gregorian_value)}: "
            f"correct one of them (@{name} is always Gregorian)",
            attribute,
        ))
    return findings

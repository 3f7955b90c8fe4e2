"""Rules about each document: it is TEI, its header says what it is, its footnotes are numbered
1..N, and every name in its text is linked to a register.

What the header must name depends on what the document is:

- a *work* (its ``sourceDesc`` cites an authored source with ``bibl``, ``biblStruct`` or
  ``biblFull``: the document transcribes someone's text) names its ``author`` in ``titleStmt``
  (a letter's sender in ``correspDesc`` also counts);
- any other document (a register, born-digital front matter, a manuscript description or a
  transcription whose ``sourceDesc`` is an ``msDesc``, a recording) names who made it: an
  ``author``, an ``editor`` or a ``respStmt`` with a name suffices.

For other projects' TEI (validated without the customisation) a missing author is a warning:
TEI itself requires only a title, a ``publicationStmt`` and a ``sourceDesc``. Every document
names a title, a ``publicationStmt`` with content, and a ``sourceDesc`` with content.
"""

from __future__ import annotations

from lxml import etree

from . import TEI_NS
from .findings import Finding, Severity
from .locations import finding
from .pointers import example_elements, is_register
from .sources import Source, quoted

T = f"{{{TEI_NS}}}"

RULE_NOT_TEI = "not-tei"
RULE_NO_TEXT = "tei-no-text"
RULE_HEADER_TITLE = "header-title"
RULE_HEADER_AUTHOR = "header-author"
RULE_HEADER_PUBLICATION = "header-publication"
RULE_HEADER_SOURCE = "header-source"
RULE_NOTE_NUMBERING = "note-numbering"
RULE_NAME_UNREFERENCED = "name-unreferenced"

NAME_ELEMENTS = {f"{T}persName": "person", f"{T}placeName": "place", f"{T}orgName": "org"}
# A register entry's own names need no pointer: they are the entry.
ENTRY_OF = {f"{T}persName": {f"{T}person", f"{T}personGrp", f"{T}persona"},
            f"{T}placeName": {f"{T}place"}, f"{T}orgName": {f"{T}org"}}
NOTE_PLACES = {"foot", "end"}
# A sourceDesc holding one of these cites an authored source (a manuscript or a recording has
# no author in the same sense: its titleStmt may name only its editors or cataloguers).
WORK_SOURCES = {f"{T}{n}" for n in ("bibl", "biblStruct", "biblFull")}
NAMES = {f"{T}{n}" for n in ("name", "persName", "orgName")}
RESOURCES = {f"{T}{n}" for n in ("text", "standOff", "facsimile", "sourceDoc", "TEI")}


def documents(source: Source) -> list[etree._Element]:
    """The TEI documents of a file: the root ``TEI``, or each ``TEI`` of a ``teiCorpus``."""
    root = source.root
    if root.tag == f"{T}TEI":
        return [root]
    return [el for el in root.iter(f"{T}TEI") if not quoted(el)]


def check_root(source: Source) -> list[Finding]:
    """A file whose root is not TEI gets one clear finding (and no other checks)."""
    root = source.root
    if source.is_tei:
        if root.tag == f"{T}teiCorpus" and not documents(source):
            return [finding(source, root, Severity.ERROR, RULE_NO_TEXT,
                            "this teiCorpus holds no <TEI> document: add at least one")]
        return []
    qname = etree.QName(root)
    if qname.localname in ("TEI", "teiCorpus"):
        ns = f"namespace '{qname.namespace}'" if qname.namespace else "no namespace"
        message = (f"<{qname.localname}> is in {ns}: TEI elements are in the TEI namespace, "
                   f"write <{qname.localname} xmlns=\"{TEI_NS}\">")
    elif qname.localname.lower() == "tei.2":
        message = (f"<{qname.localname}> is TEI P4 (or older): this tool reads TEI P5; convert "
                   "the file first (e.g. with the TEI Stylesheets' p4top5.xsl), then the root "
                   f"is <TEI xmlns=\"{TEI_NS}\"> (this file is not checked further)")
    else:
        message = (f"the root element is <{qname.localname}>, not TEI: a TEI document starts "
                   f"with <TEI xmlns=\"{TEI_NS}\"> (this file is not checked further)")
    return [finding(source, root, Severity.ERROR, RULE_NOT_TEI, message)]


def check_corpus_header(source: Source, customisation: bool = True) -> list[Finding]:
    """A teiCorpus's own header names its title, publication and source too."""
    root = source.root
    header = root.find(f"{T}teiHeader")
    if root.tag != f"{T}teiCorpus" or header is None:
        return []
    return check_header(source, root, header, customisation)


def check_document(source: Source, tei: etree._Element, unreferenced: str,
                   customisation: bool = True) -> list[Finding]:
    """All the per-document rules for one ``TEI`` element (``customisation``: the edition's
    own strict header rules; without it, for other projects' TEI, a missing author is a
    warning)."""
    findings: list[Finding] = []
    if not any(child.tag in RESOURCES for child in tei):
        findings.append(finding(
            source, tei, Severity.ERROR, RULE_NO_TEXT,
            "this TEI document has no <text> (nor standOff, facsimile or sourceDoc): add the "
            "<text> with its <body> after the <teiHeader>",
        ))
    header = tei.find(f"{T}teiHeader")
    if header is not None:
        findings.extend(check_header(source, tei, header, customisation))
    for text in tei.iter(f"{T}text"):
        findings.extend(check_notes(source, text))
    for text in tei.findall(f"{T}text"):
        if unreferenced != "off":
            severity = Severity.ERROR if unreferenced == "error" else Severity.WARNING
            findings.extend(check_names(source, text, severity))
    return findings


def _has_text(el: etree._Element | None) -> bool:
    return el is not None and bool("".join(el.itertext()).strip())


def _named(el: etree._Element) -> bool:
    return _has_text(el) or bool(el.get("ref") or el.get("key"))


def _responsible(title_stmt: etree._Element) -> bool:
    """An author, an editor, or a respStmt that names someone (not only a resp)."""
    return any(_named(el) for el in title_stmt.iterchildren(f"{T}author", f"{T}editor")) or any(
        _named(name) for resp in title_stmt.iterchildren(f"{T}respStmt")
        for name in resp.iterchildren(*NAMES)
    )


def _sender_named(tei: etree._Element) -> bool:
    """A letter names its author as the sender in profileDesc/correspDesc."""
    return any(
        _named(name)
        for action in tei.iterfind(f"{T}teiHeader/{T}profileDesc/{T}correspDesc/{T}correspAction")
        if action.get("type") == "sent"
        for name in action.iterchildren(*NAMES)
    )


def check_header(source: Source, tei: etree._Element, header: etree._Element,
                 customisation: bool = True) -> list[Finding]:
    """Title, responsibility, publication and source named in the header."""
    findings = []
    file_desc = header.find(f"{T}fileDesc")
    if file_desc is None:
        return []  # the schema reports the missing fileDesc
    title_stmt = file_desc.find(f"{T}titleStmt")
    titles = title_stmt.findall(f"{T}title") if title_stmt is not None else []
    where = title_stmt if title_stmt is not None else file_desc
    if not any(_has_text(t) for t in titles):
        findings.append(finding(
            source, where, Severity.ERROR, RULE_HEADER_TITLE,
            "the header names no title: write the document's title in "
            "teiHeader/fileDesc/titleStmt/title",
        ))
    source_desc = file_desc.find(f"{T}sourceDesc")
    is_work = (
        source_desc is not None
        and any(child.tag in WORK_SOURCES for child in source_desc)
        and not is_register(tei)
    )
    author_severity = Severity.ERROR if customisation else Severity.WARNING
    authors = title_stmt.findall(f"{T}author") if title_stmt is not None else []
    if is_work and not any(_named(a) for a in authors) and not _sender_named(tei):
        findings.append(finding(
            source, where, author_severity, RULE_HEADER_AUTHOR,
            "the header names no author: this document transcribes a source (sourceDesc cites "
            "a bibl), so write its author in titleStmt/author (<author>Anonymous</author> if "
            "unknown)",
        ))
    elif not is_work and title_stmt is not None and not _responsible(title_stmt):
        findings.append(finding(
            source, where, author_severity, RULE_HEADER_AUTHOR,
            "the header names nobody responsible for this document: write an author, an "
            "editor or a respStmt (a resp and a persName) in titleStmt",
        ))
    publication = file_desc.find(f"{T}publicationStmt")
    if publication is not None and not _has_text(publication):
        findings.append(finding(
            source, publication, Severity.ERROR, RULE_HEADER_PUBLICATION,
            "publicationStmt is empty: name the publisher (or authority, distributor) and the "
            "date, or say in a <p> that the file is unpublished",
        ))
    if source_desc is not None and not _has_text(source_desc) and not any(
        el.get("ref") or el.get("target") for el in source_desc.iter()
    ):
        findings.append(finding(
            source, source_desc, Severity.ERROR, RULE_HEADER_SOURCE,
            "sourceDesc is empty: describe the source transcribed (a <bibl>) or say in a <p> "
            "that the document is born digital",
        ))
    return findings


def _nearest_text(el: etree._Element) -> etree._Element | None:
    for ancestor in el.iterancestors(f"{T}text"):
        return ancestor
    return None


DIVISIONS = {f"{T}div"} | {f"{T}div{n}" for n in range(1, 8)}


def _division_of(el: etree._Element) -> etree._Element | None:
    """The division (div, div1..div7) an element stands in, the innermost."""
    for ancestor in el.iterancestors(*DIVISIONS):
        return ancestor
    return None


def check_notes(source: Source, text: etree._Element) -> list[Finding]:
    """The numbered foot- and endnotes of a text run 1, 2, ..., N in document order.

    A note numbered 1 in another division than the note before starts a new series (notes
    numbered by chapter). A text whose first note is not 1 gets a warning, not an error: an
    excerpt keeps the numbers of the book it was taken from.
    """
    findings = []
    seen: dict[int, int] = {}
    last = 0
    last_division: etree._Element | None = None
    examples = example_elements(text)
    for note in text.iter(f"{T}note"):
        if (note.get("place") not in NOTE_PLACES or note.get("type") == "editorial"
                or note.get("n") is None or _nearest_text(note) is not text
                or note in examples):
            continue
        raw = note.get("n", "").strip()
        if not (raw.isascii() and raw.isdigit()):
            continue  # symbols (*, †) or letters are a different numbering scheme
        n = int(raw)
        severity = Severity.ERROR
        division = _division_of(note)
        if n == 1 and last >= 1 and division is not last_division:
            seen, last = {}, 0  # a new series: the notes of the next chapter
        last_division = division
        if n in seen:
            message = (f"footnote {n} is numbered twice (first on line {seen[n]}): "
                       "renumber the notes 1..N in order")
        elif n != last + 1 and n > last:
            missing = f"{last + 1}" if n == last + 2 else f"{last + 1} to {n - 1}"
            if last:
                message = (f"footnote {n} follows footnote {last}: footnote {missing} is "
                           "missing; notes are numbered 1..N without gaps")
            else:
                severity = Severity.WARNING
                message = (f"the first footnote is numbered {n}: right if this text is an "
                           f"excerpt that keeps its source's numbers, otherwise footnote "
                           f"{missing} is missing")
        elif n < last:
            message = f"footnote {n} comes after footnote {last}: notes are numbered in order"
        else:
            message = ""
        if message:
            findings.append(finding(source, note, severity, RULE_NOTE_NUMBERING, message,
                                    "n"))
        seen.setdefault(n, note.sourceline or 0)
        last = max(last, n)
    return findings


def check_names(source: Source, text: etree._Element, severity: Severity) -> list[Finding]:
    """Every persName, placeName and orgName in a text points at its register entry."""
    findings = []
    examples = example_elements(text)
    for el in text.iter(*NAME_ELEMENTS):
        if el.get("ref") or el.get("key") or el in examples:
            continue
        parent = el.getparent()
        if parent is not None and parent.tag in ENTRY_OF[el.tag]:
            continue
        kind = NAME_ELEMENTS[el.tag]
        label = " ".join("".join(el.itertext()).split())
        shown = f" '{label}'" if label else ""
        findings.append(finding(
            source, el, severity, RULE_NAME_UNREFERENCED,
            f"<{etree.QName(el).localname}>{shown} has no @ref: link it to its {kind} in the "
            f"register (ref=\"{kind}s.xml#id\" or \"#id\"), or use --unreferenced-names to "
            "change this rule's severity",
        ))
    return findings

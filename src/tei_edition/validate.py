"""Check an edition: well-formedness, the TEI customisation schema, and the integrity rules.

``validate_paths`` loads the files (``sources.load_edition``) and calls ``validate_edition``,
which ``render`` also calls on an edition it has already loaded, so each file is parsed once.
The checks read the parsed trees only; nothing is written. Every finding has a stable rule id
(``RULES`` lists them with their severity and what they check; the README repeats the table).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import date_rules, document_rules, parallel, pointers, schema
from .findings import Finding, Severity, findings_to_json
from .sources import RULE_ENTITY, RULE_IO, RULE_NOT_WELL_FORMED, Edition, Source, load_edition

# rule id -> (severity, what it checks). "option" means the severity is set by an option.
RULES: dict[str, tuple[str, str]] = {
    RULE_NOT_WELL_FORMED: ("error", "the file is well-formed XML"),
    RULE_ENTITY: ("error", "no entity declarations (external entities, entity bombs)"),
    RULE_IO: ("error", "the file can be read"),
    document_rules.RULE_NOT_TEI: ("error", "the root element is TEI or teiCorpus, in the TEI "
                                  "namespace"),
    document_rules.RULE_NO_TEXT: ("error", "a TEI document has a text (or standOff, facsimile)"),
    schema.RULE_SCHEMA: ("error", "valid against the tei-edition customisation"),
    schema.RULE_EXTERNAL: ("error", "valid against a schema given with --schema"),
    pointers.RULE_ID_DUPLICATE: ("error", "xml:id unique in the file, and across the edition "
                                 "outside teiHeader"),
    pointers.RULE_DANGLING: ("error", "a pointer's #id exists in the file it points into"),
    pointers.RULE_MISSING_FILE: ("error", "a pointer's file exists"),
    pointers.RULE_NOT_VALIDATED: ("warning", "a pointer's file is among the files validated"),
    pointers.RULE_MISSING_RESOURCE: ("warning", "a linked file that is not XML (page, image, "
                                     "PDF; @url, @facs) exists"),
    pointers.RULE_WRONG_KIND: ("error", "persName→person, placeName→place, orgName→org, "
                               "title→bibl, @datingMethod→calendar, catRef/@scheme→taxonomy"),
    pointers.RULE_UNSAFE: ("error", "no javascript: or data: URIs"),
    pointers.RULE_REGISTER_UNUSED: ("warning", "every register entry is referenced"),
    document_rules.RULE_NAME_UNREFERENCED: ("option", "persName/placeName/orgName in a text "
                                            "has @ref or @key (--unreferenced-names)"),
    date_rules.RULE_INVALID: ("error", "date attributes are real ISO 8601 dates"),
    date_rules.RULE_RANGE: ("error", "@from <= @to, @notBefore <= @notAfter"),
    date_rules.RULE_LIFE: ("error", "a person's birth is not after their death"),
    date_rules.RULE_JULIAN: ("error", "@when-custom in a Julian calendar agrees with @when"),
    document_rules.RULE_NOTE_NUMBERING: ("error", "numbered foot/endnotes run 1..N"),
    document_rules.RULE_HEADER_TITLE: ("error", "the header names a title"),
    document_rules.RULE_HEADER_AUTHOR: ("option", "the header names the author (works) or "
                                        "someone responsible (other documents); a warning "
                                        "with --no-customisation"),
    document_rules.RULE_HEADER_PUBLICATION: ("error", "publicationStmt has content"),
    document_rules.RULE_HEADER_SOURCE: ("error", "sourceDesc has content"),
}


@dataclass
class ValidationOptions:
    """What to check: extra schemas, and the severity of unreferenced names."""

    schemas: list[Path] = field(default_factory=list)
    unreferenced_names: str = "error"  # "error" | "warning" | "off"
    customisation: bool = True  # validate against the tei-edition schema
    jobs: int = 1  # processes for the schema checks of a large edition
    cache: object | None = None  # a cache.BuildCache: schema findings of unchanged files


@dataclass
class ValidationReport:
    """The findings of one run, sorted by file, line and column."""

    findings: list[Finding]
    files: int
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.WARNING)

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean, 1 with errors (or, with ``strict``, warnings)."""
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def summary_line(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        return (f"{plural(self.files, 'file')}: {plural(self.errors, 'error')}, "
                f"{plural(self.warnings, 'warning')} ({self.seconds:.2f} s)")

    def summary(self) -> dict:
        return {"files": self.files, "errors": self.errors, "warnings": self.warnings,
                "seconds": round(self.seconds, 3), "notes": self.notes}

    def to_json(self) -> str:
        return findings_to_json(self.findings, self.summary())


def validate_edition(edition: Edition, options: ValidationOptions | None = None,
                     started: float | None = None) -> ValidationReport:
    """Check an already loaded edition; the findings of loading are included."""
    options = options or ValidationOptions()
    started = time.perf_counter() if started is None else started
    # External schemas first: jing runs in its own process while the checks below run.
    external = [schema.ExternalCheck(Path(p), edition.sources) for p in options.schemas]
    try:
        findings = list(edition.findings) + _check(edition, options)
        notes: list[str] = []
        for check in external:
            result = check.finish()
            findings.extend(result.findings)
            notes.extend(result.notes)
    finally:
        for check in external:
            check.cancel()
    findings = _without_echoes(findings)
    return ValidationReport(sorted(set(findings), key=_order), edition.file_count,
                            time.perf_counter() - started, notes)


def _check(edition: Edition, options: ValidationOptions) -> list[Finding]:
    """The customisation schema and the integrity rules, on every TEI file."""
    findings: list[Finding] = []
    tei_sources = []
    for source in edition.sources:
        findings.extend(document_rules.check_root(source))
        if source.is_tei:
            tei_sources.append(source)
    large = sum(source.size for source in tei_sources) > schema.LARGE_CORPUS_BYTES
    if options.customisation:
        findings.extend(_schema_findings(tei_sources, large, options))
    for source in tei_sources:
        findings.extend(document_rules.check_corpus_header(source, options.customisation))
        for tei in document_rules.documents(source):
            findings.extend(document_rules.check_document(
                source, tei, options.unreferenced_names, options.customisation))
    index = pointers.EditionIndex(tei_sources)
    findings.extend(index.duplicates)
    pointer_findings, reached = pointers.check_pointers(index)
    findings.extend(pointer_findings)
    findings.extend(pointers.check_unused_entries(index, reached))
    findings.extend(date_rules.check_dates(index))
    return findings


# Below this much TEI the schema checks run in this process: forking would cost more.
PARALLEL_BYTES = 500_000


def _schema_findings(sources: list[Source], large: bool,
                     options: ValidationOptions) -> list[Finding]:
    """The customisation's findings for every file: taken from the build cache for a file
    whose bytes are unchanged, the others checked in ``options.jobs`` processes."""
    from .cache import BuildCache, digest

    cache = options.cache if isinstance(options.cache, BuildCache) else None
    salt = ""
    if cache is not None:
        rng = schema.customisation_path(large)
        salt = BuildCache.salt("schema", rng.read_bytes())
    results: dict[int, list[Finding]] = {}
    keys: dict[int, str] = {}
    for i, source in enumerate(sources):
        if cache is None or not source.digest:
            continue
        keys[i] = digest(salt, source.display, source.digest)
        kept = cache.get(keys[i])
        if isinstance(kept, list):
            try:
                results[i] = [Finding(p, ln, col, Severity(sev), rule, msg)
                              for p, ln, col, sev, rule, msg in kept]
            except (TypeError, ValueError):
                results.pop(i, None)
    todo = [i for i in range(len(sources)) if i not in results]
    if todo:
        schema.customisation(large)  # compiled before forking: the workers share it
        size = sum(sources[i].size for i in todo)
        jobs = options.jobs if size > PARALLEL_BYTES else 1
        checked = parallel.imap(lambda i: schema.check_customisation(sources[i], large),
                                todo, jobs)
        for i, found in zip(todo, checked, strict=True):
            results[i] = found
            if cache is not None and i in keys:
                cache.put(keys[i], [[f.path, f.line, f.column, f.severity.value, f.rule,
                                     f.message] for f in found])
    if cache is not None:
        cache.prune(set(keys.values()))
    return [finding for i in range(len(sources)) for finding in results[i]]


def _order(f: Finding) -> tuple:
    return (f.path, f.line, f.column, f.rule, f.message)


def _without_echoes(findings: list[Finding]) -> list[Finding]:
    """Drop the schema's report of a bad date when the date rule explains it (the date rule's
    message starts with the attribute: "@when: ...")."""
    dated: dict[tuple[str, int], set[str]] = {}
    for f in findings:
        if f.rule == date_rules.RULE_INVALID:
            dated.setdefault((f.path, f.line), set()).add(f.message.split(":", 1)[0])
    return [f for f in findings if not (f.rule == schema.RULE_SCHEMA and (f.path, f.line) in dated
                                        and _about(f.message, dated[(f.path, f.line)]))]


def _about(message: str, attributes: set[str]) -> bool:
    """Whether a schema message is about one of these attributes (or an unnamed one)."""
    return "attribute" in message or any(message.startswith((f"{a}=", f"{a} "))
                                         for a in attributes)


def validate_paths(paths: list[Path], options: ValidationOptions | None = None) -> ValidationReport:
    """Load the files and folders given (``*.xml``, recursively) and check them as one edition.

    Raises ``UsageError`` for a path that does not exist or an unusable ``--schema``.
    """
    started = time.perf_counter()
    options = options or ValidationOptions()
    for schema_path in options.schemas:
        schema.check_schema_file(Path(schema_path))
    edition = load_edition(paths)
    return validate_edition(edition, options, started)

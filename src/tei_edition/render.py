"""Render: load → validate → model → transform → write, and replace the output atomically.

``render_paths(paths, RenderOptions, progress)`` is what ``tei-edition render`` calls. Each
format is built into a temporary folder next to the output (``OUT/.tei-edition-tmp-*``); only
when every requested format has been built are ``OUT/html`` and ``OUT/pdf`` replaced, under a
lock (``OUT/.tei-edition.lock``), by an atomic exchange of folders where the system offers one.
A render that fails or is interrupted leaves the previous output as it was; two renders
started at once each build in their own temporary folder and swap in turn.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import dataclasses
import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import TEI_NS, cache, parallel
from .errors import BuildError, UsageError
from .findings import Finding, Severity, display_path
from .model import EditionModel, build_model
from .sources import OUTPUT_MARKER, Edition, load_edition

Progress = Callable[[str], None]
FORMATS = ("html", "pdf")
TMP_PREFIX = ".tei-edition-tmp-"


class ValidationFailed(BuildError):
    """The edition has errors; nothing was rendered. ``findings`` holds them all."""

    def __init__(self, message: str, findings: list[Finding]):
        super().__init__(message)
        self.findings = findings


@dataclass
class RenderOptions:
    """What to build and where. ``validation`` is a ``validate.ValidationOptions`` or None."""

    out_dir: Path = Path("output")
    formats: list[str] = field(default_factory=lambda: ["html", "pdf"])
    validate: bool = True
    paper: str = "a4"
    validation: object | None = None
    jobs: int | None = None  # worker processes; None: one per core
    cache: bool = True  # reuse what an earlier render made from unchanged input
    clean: bool = False  # forget the build cache first (a full build)


@dataclass
class RenderSummary:
    """What a render produced."""

    out_dir: Path
    formats: list[str]
    pages: int = 0
    files: int = 0
    pdfs: int = 0
    seconds: float = 0.0
    documents: int = 0
    warnings: list[str] = field(default_factory=list)
    rebuilt: int | None = None  # text pages transformed (None: no build cache)
    reused: int = 0  # text pages taken unchanged from the build cache
    pdfs_reused: int = 0  # PDFs taken unchanged from the build cache

    def summary_line(self) -> str:
        parts = []
        if "html" in self.formats:
            parts.append(f"{self.pages} web pages")
        if "pdf" in self.formats:
            reused = f" ({self.pdfs_reused} unchanged from the build cache)" \
                if self.pdfs_reused else ""
            parts.append(f"{self.pdfs} PDF{'s' if self.pdfs != 1 else ''}{reused}")
        warn = f", {len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}" \
            if self.warnings else ""
        cached = ""
        if self.rebuilt is not None and self.reused:
            cached = (f" ({self.rebuilt} text page{'s' if self.rebuilt != 1 else ''} rebuilt, "
                      f"{self.reused} unchanged from the build cache)")
        return (f"rendered {self.documents} TEI document{'s' if self.documents != 1 else ''}: "
                f"{' and '.join(parts)}, {self.files} file{'s' if self.files != 1 else ''} in "
                f"{display_path(self.out_dir)} "
                f"in {self.seconds:.1f} s{cached}{warn}")


def render_paths(
    paths: list[Path], options: RenderOptions, progress: Progress | None = None
) -> RenderSummary:
    """Load the files or folders given and render them (see ``render_edition``)."""
    say = progress or (lambda _message: None)
    for fmt in options.formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; use html, pdf or all")
    started = time.monotonic()
    say(f"loading {', '.join(display_path(p) for p in paths)}")
    edition = load_edition(paths)
    return render_edition(edition, options, progress, started=started)


def render_edition(
    edition: Edition,
    options: RenderOptions,
    progress: Progress | None = None,
    started: float | None = None,
) -> RenderSummary:
    """Validate (unless told not to), model, transform and write an already loaded edition."""
    say = progress or (lambda _message: None)
    started = time.monotonic() if started is None else started
    warnings: list[str] = []
    jobs = options.jobs if options.jobs is not None else parallel.default_jobs()
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {jobs}")
    if options.clean:
        cache.clear(options.out_dir)
    if options.validate:
        say("validating")
        # Beside the validation (in a process of its own), the typesetter is imported for
        # the print edition: it takes longer than validating a small edition.
        with parallel.beside(lambda: _validation_report(edition, options, jobs),
                             jobs if "pdf" in options.formats else 1) as validating:
            if "pdf" in options.formats:
                _import_typesetter()
            _check(validating.result())
    else:
        for finding in edition.findings:
            warnings.append(f"skipped: {finding.format()}")
    if not any(source.is_tei for source in edition.sources):
        from .document_rules import check_root  # why each file given is not TEI

        reasons = list(edition.findings) + [f for s in edition.sources for f in check_root(s)]
        raise ValidationFailed(
            "nothing to render: no TEI document found (a TEI file's root element is <TEI> or "
            "<teiCorpus> in the namespace http://www.tei-c.org/ns/1.0)", reasons)
    say(f"modelling {len(edition.sources)} document(s)")
    model = build_model(edition)
    warnings.extend(_unpublished(model))
    summary = RenderSummary(out_dir=options.out_dir, formats=list(options.formats),
                            documents=len(model.documents), warnings=warnings)
    out = options.out_dir
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{display_path(out)}: cannot create the output folder: "
                         f"{exc.strerror or exc}") from exc
    _remove_abandoned(out)
    built: dict[str, Path] = {}
    try:
        for fmt in options.formats:
            built[fmt] = _temporary(out, fmt)
            if fmt == "html":
                _build_html(model, built[fmt], summary, say, jobs, out if options.cache else None)
            else:
                _build_pdf(model, built[fmt], options.paper, summary, say, jobs,
                           out if options.cache else None)
        for folder in built.values():
            (folder / OUTPUT_MARKER).write_text(
                "Written by tei-edition render: never read as input.\n", encoding="utf-8")
        with _lock(out):
            for fmt, folder in built.items():
                _swap(folder, out / fmt)
        built.clear()
    except OSError as exc:
        raise BuildError(f"{display_path(out)}: cannot write the output: "
                         f"{exc.strerror or exc}; the previous output is unchanged") from exc
    finally:
        for folder in built.values():
            shutil.rmtree(folder, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    for warning in summary.warnings:
        say(f"warning: {warning}")
    return summary


def _validation_report(edition: Edition, options: RenderOptions, jobs: int):  # noqa: ANN202
    try:
        from .validate import ValidationOptions, validate_edition
    except ImportError as exc:  # a broken installation, not the user's input
        raise BuildError(f"validation is unavailable ({exc}); render with --no-validate") from exc

    validation = dataclasses.replace(
        options.validation or ValidationOptions(schemas=[]), jobs=jobs,
        cache=cache.BuildCache(options.out_dir, "schema") if options.cache else None)
    return validate_edition(edition, validation)


def _import_typesetter() -> None:
    """Import WeasyPrint (about half a second), once, before the print edition's workers fork."""
    from .typesetter import import_weasyprint

    with contextlib.suppress(ImportError, OSError):  # failing again in pdf.py, if at all
        import_weasyprint()


def _check(report) -> None:  # noqa: ANN001 - a validate.ValidationReport
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    if errors:
        raise ValidationFailed(
            f"the edition has {len(errors)} error{'s' if len(errors) != 1 else ''}; nothing "
            "was rendered (fix them, or render anyway with --no-validate)",
            list(report.findings),
        )


def _build_html(
    model: EditionModel, target: Path, summary: RenderSummary, say: Progress, jobs: int,
    cache_root: Path | None,
) -> None:
    from .site import build_site

    page_cache = cache.BuildCache(cache_root, "html") if cache_root is not None else None
    result = build_site(model, target, say, jobs=jobs, cache=page_cache)
    if page_cache is not None:
        summary.rebuilt, summary.reused = result.rebuilt, result.reused
    summary.pages += result.pages
    summary.files += result.files
    summary.warnings.extend(result.warnings)


def _unpublished(model: EditionModel) -> list[str]:
    """What a document holds that neither edition shows, said rather than silently left
    out: a sourceDoc (a transcription by surface and zone, beside or instead of <text>)."""
    said = []
    for doc in model.documents:
        docs = doc.tei.findall(f"{{{TEI_NS}}}sourceDoc")
        if docs:
            lines = sum(1 for d in docs for el in d.iter() if isinstance(el.tag, str)
                        and etree.QName(el).localname == "line")
            said.append(
                f"{doc.path}: its <sourceDoc> ({lines} line{'s' if lines != 1 else ''}) is in "
                "neither edition: tei-edition publishes <text>; encode the reading text in "
                "<text> as well to publish it")
    return said


def _build_pdf(
    model: EditionModel, target: Path, paper: str, summary: RenderSummary, say: Progress,
    jobs: int, cache_root: Path | None,
) -> None:
    from .pdf import print_books  # WeasyPrint is imported only for the print edition
    from .print_model import plan_books

    if "html" in summary.formats and not plan_books(model):
        # Nothing to print (a standOff or a register alone): the web edition is still made.
        summary.warnings.append("pdf: nothing to print (no TEI document with a <text>): no "
                                "PDF written, the web edition only")
        return
    book_cache = cache.BuildCache(cache_root, "pdf") if cache_root is not None else None
    printed = print_books(model, target, paper, say, jobs=jobs, cache=book_cache)
    summary.pdfs += len(printed)
    summary.files += len(printed)
    summary.pdfs_reused += sum(book.reused for book in printed)


def _temporary(out: Path, fmt: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{fmt}-{os.getpid()}-", dir=out))
    folder.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
    return folder


@contextlib.contextmanager
def _lock(out: Path) -> Iterator[None]:
    """An exclusive lock on the output folder while folders are swapped in."""
    with open(out / ".tei-edition.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two folders (Linux renameat2); False where not available."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _swap(new: Path, final: Path) -> None:
    """Put ``new`` in place of ``final``; the old folder is removed afterwards."""
    if not final.exists():
        os.replace(new, final)
        return
    if final.is_dir() and not final.is_symlink() and _exchange(new, final):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the previous output
        return
    old = final.with_name(f"{TMP_PREFIX}old-{final.name}-{os.getpid()}-{time.monotonic_ns()}")
    os.replace(final, old)
    os.replace(new, final)
    if old.is_dir():
        shutil.rmtree(old, ignore_errors=True)
    else:
        old.unlink(missing_ok=True)


def _remove_abandoned(out: Path) -> None:
    """Remove temporary folders of renders that were killed (their process is gone)."""
    for folder in stale_temporaries(out):
        match = re.match(rf"{re.escape(TMP_PREFIX)}(?:old-)?[a-z]+-(\d+)", folder.name)
        if match is None:
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (PermissionError, OverflowError, ValueError):
            continue  # another user's live process, or not a pid: leave it


def stale_temporaries(out: Path) -> list[Path]:
    """Temporary folders left by a killed render (safe to delete when no render runs)."""
    return sorted(out.glob(f"{TMP_PREFIX}*")) if out.is_dir() else []


__all__ = ["RenderOptions", "RenderSummary", "ValidationFailed", "render_edition",
           "render_paths", "stale_temporaries", "display_path", "Finding"]

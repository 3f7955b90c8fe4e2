"""The command line: parse options, call the library, print, and set the exit status.

This is the one place that prints and turns ``TeiEditionError`` into exit codes
(0 ok, 1 errors found or build failed, 2 usage or I/O error). Heavy modules (saxonche,
WeasyPrint) are imported inside the commands that need them, so ``--help`` and ``validate``
start fast.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path

import click

from . import __version__
from .errors import TeiEditionError

DEFAULT_EDITION = "tei"


class _Context:
    debug = False


def _fail(exc: TeiEditionError) -> None:
    from .findings import printable  # one line, no control characters from the input

    click.echo(f"error: {printable(str(exc))}", err=True)
    sys.exit(exc.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tei-edition")
@click.option("--debug", is_flag=True, help="Show a traceback when something goes wrong.")
def main(debug: bool) -> None:
    """Validate and publish a TEI P5 scholarly edition.

    \b
    Examples:
      tei-edition validate                 # check the edition in tei/
      tei-edition validate letters/ --schema tei_all.rng
      tei-edition render                   # web and print edition into output/
      tei-edition render --format html --out site/
    """
    _Context.debug = debug


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--schema", "schemas", multiple=True, type=click.Path(path_type=Path),
    help="Also validate against this RELAX NG schema (.rng), e.g. TEI's tei_all.rng. Repeatable.",
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="How to print the findings.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--customisation/--no-customisation", default=True, show_default=True,
    help="Validate against the tei-edition TEI customisation; --no-customisation for other "
    "projects' TEI (name their schema with --schema).",
)
@click.option(
    "--unreferenced-names", type=click.Choice(["error", "warning", "off"]), default="error",
    show_default=True,
    help="Severity of a persName, placeName or orgName in a text that has no @ref.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None,
    help="Processes for the schema checks of a large edition [default: one per core].",
)
def validate(
    paths: tuple[Path, ...],
    schemas: tuple[Path, ...],
    output_format: str,
    strict: bool,
    customisation: bool,
    unreferenced_names: str,
    jobs: int | None,
) -> None:
    """Check an edition: well-formedness, schema, and integrity rules.

    PATHS are files or folders (searched for *.xml); the default is tei/. References
    between files are resolved across everything given.

    \b
    Examples:
      tei-edition validate
      tei-edition validate tei/simkin-kamenev.xml tei/persons.xml
      tei-edition validate --schema tei_all.rng --format json letters/
      tei-edition validate --no-customisation --schema project.rng letters/
    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or I/O error.
    """
    from .parallel import default_jobs
    from .validate import ValidationOptions, validate_paths

    options = ValidationOptions(
        schemas=list(schemas), unreferenced_names=unreferenced_names,
        customisation=customisation, jobs=jobs or default_jobs(),
    )
    try:
        report = validate_paths(list(paths) or [Path(DEFAULT_EDITION)], options)
    except TeiEditionError as exc:
        _fail(exc)
        return
    if output_format == "json":
        click.echo(report.to_json())
    else:
        for finding in report.findings:
            click.echo(finding.format())
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(report.summary_line(), err=True)
    sys.exit(report.exit_code(strict=strict))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(["html", "pdf", "all"]), default="all",
    show_default=True, help="Which edition to build.",
)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("output"),
    show_default=True, help="Folder to write into (replaced only when the build succeeds).",
)
@click.option("--no-validate", is_flag=True, help="Render any well-formed TEI, even with errors.")
@click.option(
    "--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
    help="Page size of the PDF.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None,
    help="Worker processes for the pages and PDFs [default: one per core].",
)
@click.option(
    "--clean", is_flag=True,
    help="Forget the build cache and rebuild every page and PDF (normally unchanged text "
    "pages and PDFs are reused from the last render into the same --out).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress, only the summary line.")
def render(
    paths: tuple[Path, ...],
    output_format: str,
    out_dir: Path,
    no_validate: bool,
    paper: str,
    jobs: int | None,
    clean: bool,
    quiet: bool,
) -> None:
    """Publish the edition as a static web site (html) and a print edition (pdf).

    The edition is validated first; an edition with errors is not rendered (see
    --no-validate). Output goes to OUT/html and OUT/pdf.

    \b
    Examples:
      tei-edition render
      tei-edition render --format html --out site/
      tei-edition render --no-validate --format html letters/
      tei-edition render --jobs 4 --clean      # a full build in four processes
    """
    from .render import RenderOptions, render_paths

    formats = ["html", "pdf"] if output_format == "all" else [output_format]
    options = RenderOptions(
        out_dir=out_dir, formats=formats, validate=not no_validate, paper=paper, jobs=jobs,
        clean=clean,
    )
    progress = None if quiet else (lambda message: click.echo(message, err=True))
    try:
        summary = render_paths(list(paths) or [Path(DEFAULT_EDITION)], options, progress=progress)
    except TeiEditionError as exc:
        findings = getattr(exc, "findings", None) or []
        for finding in findings:
            click.echo(finding.format(), err=True)
        _fail(exc)
        return
    click.echo(summary.summary_line())


class Terminated(BaseException):
    """SIGTERM (``timeout``, ``kill``, a CI runner stopping a job), raised where the process
    is, so that a render cleans up as after Ctrl-C: no temporary folder left in --out. Not a
    KeyboardInterrupt, which click turns into "Aborted!"."""


class Interrupted(BaseException):
    """Ctrl-C (SIGINT), raised as Terminated is, so that it ends every run the same way:
    "interrupted", exit status 130 (click would turn a KeyboardInterrupt into "Aborted!")."""


def _terminate(signum, frame) -> None:  # noqa: ANN001 - signal handler signature
    raise Interrupted if signum == signal.SIGINT else Terminated


def run() -> None:
    """Console entry point: a one-line message instead of a traceback unless --debug."""
    with contextlib.suppress(ValueError, OSError):  # not in the main thread: leave it
        signal.signal(signal.SIGTERM, _terminate)
        signal.signal(signal.SIGINT, _terminate)
    try:
        main(standalone_mode=True)
    except TeiEditionError as exc:
        _fail(exc)
    except Terminated:
        click.echo("terminated", err=True)
        sys.exit(143)
    except (Interrupted, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if _Context.debug or "--debug" in sys.argv:
            raise
        click.echo(
            f"internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback, "
            "and please report it)",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    run()

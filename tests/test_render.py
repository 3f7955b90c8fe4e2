"""render.py: the pipeline, its refusal on errors, and output that is replaced atomically."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_html_support import (
    FIXTURE_EDITION,
    REAL_EDITION,
    RENDER_FIXTURES,
    real_edition_ready,
    snapshot,
    walk_links,
)

from tei_edition.errors import BuildError
from tei_edition.render import RenderOptions, render_paths, stale_temporaries


def html_options(out: Path, **kw) -> RenderOptions:
    kw.setdefault("jobs", 1)  # monkeypatched failures below run in this process
    return RenderOptions(out_dir=out, formats=["html"], validate=False, **kw)


def test_render_writes_the_site_and_summarises(tmp_path):
    messages: list[str] = []
    summary = render_paths([FIXTURE_EDITION], html_options(tmp_path), progress=messages.append)
    assert (tmp_path / "html" / "index.html").is_file()
    assert summary.pages == 11 and summary.files > summary.pages
    line = summary.summary_line()
    assert "11 web pages" in line and "files" in line and " s" in line
    assert any(m.startswith("html: text 1/2") for m in messages)
    assert stale_temporaries(tmp_path) == []


def _fail_during_build(monkeypatch, exc: BaseException) -> None:
    from tei_edition import site

    original = site.Site._write

    written: list[str] = []

    def failing(self, name, html):
        done = original(self, name, html)
        written.append(name)
        if len(written) == 2:
            raise exc
        return done

    monkeypatch.setattr(site.Site, "_write", failing)


@pytest.mark.parametrize("exc", [BuildError("boom"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_render_leaves_the_previous_output(tmp_path, monkeypatch, exc):
    render_paths([FIXTURE_EDITION], html_options(tmp_path))
    before = snapshot(tmp_path / "html")
    _fail_during_build(monkeypatch, exc)
    with pytest.raises(type(exc)):
        render_paths([RENDER_FIXTURES / "no-registers.xml"], html_options(tmp_path))
    assert snapshot(tmp_path / "html") == before
    assert stale_temporaries(tmp_path) == []


def test_pdf_failure_keeps_the_old_html_too(tmp_path, monkeypatch):
    render_paths([FIXTURE_EDITION], html_options(tmp_path))
    before = snapshot(tmp_path / "html")
    import tei_edition.pdf as pdf

    def broken(model, target, paper, progress, **kw):
        raise BuildError("typesetting failed")

    monkeypatch.setattr(pdf, "print_books", broken)
    options = RenderOptions(out_dir=tmp_path, formats=["html", "pdf"], validate=False, jobs=1)
    with pytest.raises(BuildError, match="typesetting failed"):
        render_paths([RENDER_FIXTURES / "no-registers.xml"], options)
    assert snapshot(tmp_path / "html") == before
    assert not (tmp_path / "pdf").exists()


def test_pdf_branch_swaps_in_what_the_printer_wrote(tmp_path, monkeypatch):
    import tei_edition.pdf as pdf

    def fake(model, target, paper, progress, **kw):
        path = target / "edition.pdf"
        path.write_bytes(b"%PDF-1.7 " + paper.encode())
        return [pdf.PrintedBook(path, 1, 0.0)]

    monkeypatch.setattr(pdf, "print_books", fake)
    summary = render_paths([FIXTURE_EDITION], RenderOptions(
        out_dir=tmp_path, formats=["pdf"], validate=False, paper="letter"))
    assert (tmp_path / "pdf" / "edition.pdf").read_bytes() == b"%PDF-1.7 letter"
    assert summary.pdfs == 1 and not (tmp_path / "html").exists()


def test_two_renders_at_once_do_not_corrupt_each_other(tmp_path):
    cmd = [sys.executable, "-m", "tei_edition.cli", "render", "--no-validate", "--quiet",
           "--format", "html", "--out", str(tmp_path)]
    procs = [subprocess.Popen([*cmd, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for path in (FIXTURE_EDITION, RENDER_FIXTURES / "letters")]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    site = tmp_path / "html"
    assert walk_links(site) == []
    # The site is one of the two builds, whole: either the edition's or the letters'.
    names = {p.name for p in site.glob("*.html")}
    assert names in ({"index.html", "kamenev-text.html", "leblanc.html", "persons.html",
                      "places.html", "orgs.html", "works.html", "chronology.html",
                      "bibliography.html", "search.html", "about.html"},
                     {"index.html", "letter-1.html", "letter-2.html", "chronology.html",
                      "bibliography.html", "search.html", "about.html"})
    assert stale_temporaries(tmp_path) == []


def test_broken_files_are_skipped_with_a_warning_without_validation(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.xml").write_bytes((RENDER_FIXTURES / "no-registers.xml").read_bytes())
    (folder / "broken.xml").write_text("<TEI><unclosed></TEI>")
    summary = render_paths([folder], html_options(tmp_path / "out"))
    assert any("broken.xml" in w for w in summary.warnings)
    assert (tmp_path / "out" / "html" / "good.html").is_file()


def test_no_tei_is_a_clear_error(tmp_path):
    (tmp_path / "notes.xml").write_text("<notes><n>not TEI</n></notes>")
    with pytest.raises(BuildError, match="no TEI document"):
        render_paths([tmp_path / "notes.xml"], html_options(tmp_path / "out"))
    assert not (tmp_path / "out" / "html").exists()


def test_validation_refuses_an_edition_with_errors(tmp_path):
    pytest.importorskip("tei_edition.validate")
    from tei_edition.render import ValidationFailed

    (tmp_path / "bad.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><oops></TEI>")
    with pytest.raises(ValidationFailed) as info:
        render_paths([tmp_path / "bad.xml"], RenderOptions(out_dir=tmp_path / "out",
                                                           formats=["html"]))
    assert info.value.findings and info.value.exit_code == 1
    assert not (tmp_path / "out" / "html").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_unwritable_output_is_a_clear_error(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(BuildError, match="cannot"):
            render_paths([FIXTURE_EDITION], html_options(out))
    finally:
        out.chmod(0o700)


def test_cli_render_prints_the_summary(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tei_edition.cli", "render", "--no-validate", "--format", "html",
         "--out", str(tmp_path), str(RENDER_FIXTURES / "corpus.xml")],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("rendered 2 TEI documents: 7 web pages")
    assert "html: text 2/2" in result.stderr
    failed = subprocess.run(
        [sys.executable, "-m", "tei_edition.cli", "render", "--no-validate", "--format", "html",
         "--out", str(tmp_path), str(tmp_path / "missing.xml")],
        capture_output=True, text=True, timeout=60)
    assert failed.returncode == 2 and "Traceback" not in failed.stderr


def test_the_stylesheet_is_compiled_once_per_run(tmp_path, monkeypatch):
    from tei_edition import transform

    compiled: list[Path] = []
    original = transform.Transformer.__init__

    def counting(self, stylesheet):
        compiled.append(stylesheet)
        original(self, stylesheet)

    monkeypatch.setattr(transform.Transformer, "__init__", counting)
    summary = render_paths([RENDER_FIXTURES / "letters"], html_options(tmp_path))
    assert [p.name for p in compiled] == ["html.xsl"] and summary.pages == 7


def test_render_imports_no_typesetter_for_html(tmp_path):
    code = ("import sys; from pathlib import Path; from tei_edition.render import *; "
            f"render_paths([Path({str(FIXTURE_EDITION)!r})], RenderOptions(out_dir=Path("
            f"{str(tmp_path)!r}), formats=['html'], validate=False)); "
            "print('weasyprint' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.skipif(not real_edition_ready(), reason="tei/ has no encoded text yet")
def test_the_real_edition_validates_and_renders(tmp_path):
    summary = render_paths([REAL_EDITION], RenderOptions(out_dir=tmp_path, formats=["html"]))
    assert summary.pages >= 11 and summary.warnings == []


def test_a_killed_render_leaves_nothing_behind_after_the_next(tmp_path):
    render_paths([FIXTURE_EDITION], html_options(tmp_path))
    # What a render killed with SIGKILL leaves: a temporary folder of a process now gone.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    abandoned = tmp_path / f".tei-edition-tmp-html-{dead}-abcd"
    (abandoned / "assets").mkdir(parents=True)
    live = tmp_path / f".tei-edition-tmp-html-{os.getpid()}-efgh"
    live.mkdir()
    render_paths([FIXTURE_EDITION], html_options(tmp_path))
    assert not abandoned.exists() and live.exists()

"""cache.py and incremental renders: an unchanged text page is taken from the build cache, a
changed one is built again, and the result is always what a clean build gives."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_html_support import FIXTURE_EDITION, snapshot

import tei_edition
from tei_edition.cache import BuildCache, cache_root
from tei_edition.cli import main
from tei_edition.render import RenderOptions, ValidationFailed, render_paths

TEXTS = 2  # text pages of the fixture edition


@pytest.fixture
def edition(tmp_path) -> Path:
    copy = tmp_path / "edition"
    shutil.copytree(FIXTURE_EDITION, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    """Change a file of the edition copy, as an editor would (``old`` must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def render(edition: Path, out: Path, **kw):
    kw.setdefault("jobs", 1)
    return render_paths([edition], RenderOptions(out_dir=out, formats=["html"],
                                                 validate=False, **kw))


def clean_build(edition: Path, out: Path) -> dict[str, str]:
    render(edition, out, cache=False)
    return snapshot(out / "html")


def test_a_second_render_takes_every_text_page_from_the_cache(edition, tmp_path):
    out = tmp_path / "out"
    first = render(edition, out)
    assert (first.rebuilt, first.reused) == (TEXTS, 0)
    before = snapshot(out / "html")
    second = render(edition, out)
    assert (second.rebuilt, second.reused) == (0, TEXTS)
    assert "0 text pages rebuilt, 2 unchanged from the build cache" in second.summary_line()
    assert snapshot(out / "html") == before


def test_one_changed_text_is_rebuilt_alone_and_the_site_is_as_a_clean_build(edition, tmp_path):
    out = tmp_path / "out"
    render(edition, out)
    text = edition / "text-kamenev.xml"
    edit(text, "He joined the", "In time he joined the")
    summary = render(edition, out)
    assert (summary.rebuilt, summary.reused) == (1, 1)
    page = (out / "html" / "kamenev-text.html").read_text(encoding="utf-8")
    assert "In time he joined the" in page
    assert snapshot(out / "html") == clean_build(edition, tmp_path / "clean")


def test_a_changed_register_entry_rebuilds_the_pages_that_show_it(edition, tmp_path):
    out = tmp_path / "out"
    render(edition, out)
    persons = edition / "persons.xml"
    edit(persons, "<surname>Zinoviev</surname>", "<surname>Zinovyev</surname>")
    summary = render(edition, out)
    assert summary.rebuilt == TEXTS  # every page carries the register data of its popovers
    assert snapshot(out / "html") == clean_build(edition, tmp_path / "clean")


def test_a_parallel_incremental_build_equals_a_clean_serial_one(edition, tmp_path):
    # In a fresh interpreter, as a user runs it: this test process has started Saxon, and
    # Saxon work then stays in it (parallel.py), so forked workers are only tested there.
    def render_with_two_jobs() -> str:
        command = [sys.executable, "-c", "from tei_edition.cli import run; run()", "render",
                   "--format", "html", "--no-validate", "--jobs", "2", "--out", str(out),
                   str(edition)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        return result.stdout + result.stderr

    out = tmp_path / "out"
    assert "(2 jobs)" in render_with_two_jobs()
    text = edition / "text-leblanc.xml"
    edit(text, "</body>", "<p>Added.</p></body>")
    assert "(1 text page rebuilt, 1 unchanged from the build cache)" in render_with_two_jobs()
    assert snapshot(out / "html") == clean_build(edition, tmp_path / "clean")


def test_a_new_tool_version_or_stylesheet_invalidates_the_cache(edition, tmp_path, monkeypatch):
    out = tmp_path / "out"
    render(edition, out)
    monkeypatch.setattr(tei_edition.cache, "__version__", "999.0")
    assert render(edition, out).rebuilt == TEXTS
    monkeypatch.setattr(tei_edition.cache, "tree_digest", lambda folder: "other stylesheets")
    assert render(edition, out).rebuilt == TEXTS


def test_clean_forgets_the_cache(edition, tmp_path):
    out = tmp_path / "out"
    render(edition, out)
    assert render(edition, out, clean=True).rebuilt == TEXTS
    result = CliRunner().invoke(main, ["render", "--no-validate", "--format", "html", "--jobs",
                                       "1", "--clean", "--out", str(out), str(edition)])
    assert result.exit_code == 0, result.output
    assert "unchanged from the build cache" not in result.output


def test_the_cache_keeps_one_build_and_stays_out_of_the_output(edition, tmp_path):
    out = tmp_path / "out"
    render(edition, out)
    text = edition / "text-kamenev.xml"
    sentence = "He joined the"
    for word in ("first", "second", "third"):
        edit(text, sentence, f"He ({word}) joined the")
        sentence = f"He ({word}) joined the"
        render(edition, out)
    pages = list((cache_root(out) / "html").glob("*.out"))
    assert len(pages) == TEXTS
    assert {p.name for p in out.iterdir()} <= {"html", ".tei-edition.lock"}


def test_the_schema_findings_of_unchanged_files_are_reused(edition, tmp_path, monkeypatch):
    from tei_edition import schema

    out = tmp_path / "out"
    calls: list[str] = []
    original = schema.check_customisation

    def counting(source, large=False):
        calls.append(source.path.name)
        return original(source, large)

    monkeypatch.setattr(schema, "check_customisation", counting)
    options = dict(out_dir=out, formats=["html"], validate=True, jobs=1)
    for _ in range(2):
        # The fixture edition may have findings (it is not rendered then): only calls count.
        with contextlib.suppress(ValidationFailed):
            render_paths([edition], RenderOptions(**options))
    files = len(list(edition.glob("*.xml")))
    assert len(calls) == files  # the second run checked no file again
    text = edition / "text-kamenev.xml"
    edit(text, "He joined", "He jioned")
    calls.clear()
    with contextlib.suppress(ValidationFailed):
        render_paths([edition], RenderOptions(**options))
    assert calls == ["text-kamenev.xml"]


def test_an_unwritable_cache_only_costs_time(edition, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("TEI_EDITION_CACHE_DIR", str(blocker))
    assert not BuildCache(tmp_path / "out", "html").usable
    first = render(edition, tmp_path / "out")
    second = render(edition, tmp_path / "out")
    assert first.pages == second.pages and second.reused == 0


def test_a_page_linking_to_a_changed_text_is_rebuilt_with_it(edition, tmp_path):
    """A link names the passage it points at ("Lev Kamenev, ¶ 2"): when that text changes,
    the page holding the link is rebuilt too."""
    leblanc = edition / "text-leblanc.xml"
    edit(leblanc, "</body>", '<p>See <ptr target="text-kamenev.xml#p-2"/>.</p></body>')
    out = tmp_path / "out"
    render(edition, out)
    kamenev = edition / "text-kamenev.xml"
    edit(kamenev, "<head>Lev Kamenev</head>",
         "<head>Lev Kamenev</head><p>A new first paragraph.</p>")
    summary = render(edition, out)
    assert summary.rebuilt == 2
    assert snapshot(out / "html") == clean_build(edition, tmp_path / "clean")


def test_a_claimed_item_is_waited_for_and_a_dead_claim_is_taken_over(tmp_path):
    """Two processes that want the same item: the first claims it and makes it, the second
    waits and gets it; a claim left by a process that died does not make anyone wait."""
    import multiprocessing
    import os
    import time

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork")
    cache = BuildCache(tmp_path / "out", "pdf")
    assert cache.claim("k1")
    started = time.monotonic()
    child = os.fork()
    if child == 0:  # the other process: it finds the claim and waits for the item
        other = BuildCache(tmp_path / "out", "pdf")
        ok = not other.claim("k1") and other.wait("k1", timeout=20) == ["made"]
        os._exit(0 if ok else 1)
    time.sleep(0.5)
    cache.put("k1", ["made"])
    cache.release("k1")
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert time.monotonic() - started < 15
    # A claim whose process is gone: taken over at once.
    dead = os.fork()
    if dead == 0:
        BuildCache(tmp_path / "out", "pdf").claim("k2")
        os._exit(0)
    os.waitpid(dead, 0)
    assert (cache.folder / "k2.claim").exists()
    assert cache.wait("k2", timeout=20) is None
    assert cache.claim("k2")
    cache.release("k2")
    assert not (cache.folder / "k2.claim").exists()

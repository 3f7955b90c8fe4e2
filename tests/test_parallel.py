"""parallel.py and ``render --jobs``: work shared out among forked processes gives exactly what
one process gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_html_support import FIXTURE_EDITION, REAL_EDITION, real_edition_ready, snapshot

from tei_edition import parallel
from tei_edition.errors import BuildError, UsageError
from tei_edition.render import RenderOptions, render_paths


def test_imap_runs_in_other_processes_and_keeps_the_order():
    pids = list(parallel.imap(lambda i: (i, os.getpid()), range(12), jobs=2))
    assert [i for i, _ in pids] == list(range(12))
    workers = {pid for _, pid in pids}
    assert os.getpid() not in workers and len(workers) == 2


def test_imap_with_one_job_runs_here_after_its_setup():
    calls: list[str] = []
    result = list(parallel.imap(lambda i: (calls.append("task"), os.getpid())[1], range(3),
                                jobs=1, setup=lambda: calls.append("setup")))
    assert result == [os.getpid()] * 3 and calls == ["setup", "task", "task", "task"]


def test_an_error_in_a_worker_is_a_build_error_with_its_message():
    def task(i):
        if i == 3:
            raise UsageError("item three is bad")
        return i

    with pytest.raises(BuildError, match="item three is bad"):
        list(parallel.imap(task, range(6), jobs=2))


def test_a_worker_that_dies_is_a_build_error_not_a_hang():
    """A worker killed (by the out-of-memory killer, say) ends the run with a message."""
    import signal

    def task(i):
        if i == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        return i

    with pytest.raises(BuildError, match="worker process died"):
        list(parallel.imap(task, range(6), jobs=2))


def _render_in_a_new_process(source: Path, out: Path, fmt: str, jobs: int) -> str:
    """``tei-edition render`` in a fresh interpreter, as a user runs it: this test process has
    started Saxon, and parallel.imap keeps Saxon work in a process that has (GraalVM is not
    fork-safe), so the forked workers are tested there."""
    command = [sys.executable, "-c", "from tei_edition.cli import run; run()", "render",
               "--format", fmt, "--no-validate", "--jobs", str(jobs), "--out", str(out),
               str(source)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stderr + result.stdout


def test_saxon_work_stays_here_once_this_process_has_started_saxon(monkeypatch):
    monkeypatch.setattr(parallel, "_saxon_here", False)
    assert os.getpid() not in set(parallel.imap(lambda i: os.getpid(), range(4), 2, saxon=True))
    parallel.note_saxon_started()
    assert set(parallel.imap(lambda i: os.getpid(), range(4), 2, saxon=True)) == {os.getpid()}
    # Work without Saxon (the schema checks) is still shared out.
    assert os.getpid() not in set(parallel.imap(lambda i: os.getpid(), range(4), 2))


@pytest.mark.parametrize("source", [FIXTURE_EDITION, REAL_EDITION], ids=["fixture", "tei"])
def test_parallel_web_edition_is_identical_to_a_serial_one(tmp_path, source):
    if source == REAL_EDITION and not real_edition_ready():
        pytest.skip("the edition is not encoded yet")
    serial = render_paths([source], RenderOptions(
        out_dir=tmp_path / "serial", formats=["html"], jobs=1, cache=False, validate=False))
    said = _render_in_a_new_process(source, tmp_path / "parallel", "html", 3)
    assert "(3 jobs)" in said
    assert snapshot(tmp_path / "serial" / "html") == snapshot(tmp_path / "parallel" / "html")
    assert f"{serial.pages} web pages" in said and f"{serial.files} files" in said


def test_parallel_print_edition_has_the_same_books(tmp_path):
    import pypdf

    def books(out: Path) -> dict[str, list[str]]:
        return {p.name: [page.extract_text() for page in pypdf.PdfReader(p).pages]
                for p in sorted((out / "pdf").glob("*.pdf"))}

    render_paths([FIXTURE_EDITION], RenderOptions(
        out_dir=tmp_path / "serial", formats=["pdf"], validate=False, jobs=1))
    _render_in_a_new_process(FIXTURE_EDITION, tmp_path / "parallel", "pdf", 2)
    serial, para = books(tmp_path / "serial"), books(tmp_path / "parallel")
    assert len(serial) == 3 and serial == para


def test_jobs_must_be_positive(tmp_path):
    with pytest.raises(UsageError, match="--jobs"):
        render_paths([FIXTURE_EDITION], RenderOptions(out_dir=tmp_path, formats=["html"],
                                                      jobs=0))


# --------------------------------------------------------------------------------------------
# beside: one task in a forked process while this one goes on (render's validation)


def test_beside_runs_the_task_in_another_process_and_returns_its_value(monkeypatch):
    monkeypatch.setattr(parallel, "_saxon_here", False)
    with parallel.beside(lambda: (os.getpid(), [1, 2, 3]), jobs=2) as task:
        here = os.getpid()  # this process goes on meanwhile
        pid, value = task.result()
    assert pid != here and value == [1, 2, 3]


def test_beside_with_one_job_runs_the_task_here():
    with parallel.beside(os.getpid, jobs=1) as task:
        assert task.result() == os.getpid()


def test_beside_raises_here_what_the_task_raised(monkeypatch):
    monkeypatch.setattr(parallel, "_saxon_here", False)

    def fails():
        raise UsageError("the task's own message")

    with parallel.beside(fails, jobs=2) as task, pytest.raises(UsageError, match="own message"):
        task.result()


def test_beside_a_task_whose_process_dies_is_a_build_error(monkeypatch):
    import signal

    monkeypatch.setattr(parallel, "_saxon_here", False)
    with parallel.beside(lambda: os.kill(os.getpid(), signal.SIGKILL), jobs=2) as task, \
            pytest.raises(BuildError, match="died"):
        task.result()


def test_leaving_beside_early_stops_the_task(monkeypatch, tmp_path):
    import time

    monkeypatch.setattr(parallel, "_saxon_here", False)
    marker = tmp_path / "finished"

    def slow():
        time.sleep(5)
        marker.write_text("the task ran to its end")

    started = time.monotonic()
    with pytest.raises(ValueError), parallel.beside(slow, jobs=2):
        raise ValueError("the body fails before it asks for the result")
    assert time.monotonic() - started < 4
    time.sleep(0.2)
    assert not marker.exists()

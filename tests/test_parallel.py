"""parallel.py and ``render --jobs``: work shared out among forked processes gives exactly what
one process gives."""

from __future__ import annotations

import os
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


@pytest.mark.parametrize("source", [FIXTURE_EDITION, REAL_EDITION], ids=["fixture", "tei"])
def test_parallel_web_edition_is_identical_to_a_serial_one(tmp_path, source):
    if source == REAL_EDITION and not real_edition_ready():
        pytest.skip("the edition is not encoded yet")
    serial = render_paths([source], RenderOptions(
        out_dir=tmp_path / "serial", formats=["html"], jobs=1, cache=False, validate=False))
    para = render_paths([source], RenderOptions(
        out_dir=tmp_path / "parallel", formats=["html"], jobs=3, cache=False, validate=False))
    assert snapshot(tmp_path / "serial" / "html") == snapshot(tmp_path / "parallel" / "html")
    assert (serial.pages, serial.files, serial.warnings) == (para.pages, para.files,
                                                             para.warnings)


def test_parallel_print_edition_has_the_same_books(tmp_path):
    import pypdf

    def books(out: Path) -> dict[str, list[str]]:
        return {p.name: [page.extract_text() for page in pypdf.PdfReader(p).pages]
                for p in sorted((out / "pdf").glob("*.pdf"))}

    for jobs, name in ((1, "serial"), (2, "parallel")):
        render_paths([FIXTURE_EDITION], RenderOptions(
            out_dir=tmp_path / name, formats=["pdf"], validate=False, jobs=jobs))
    serial, para = books(tmp_path / "serial"), books(tmp_path / "parallel")
    assert len(serial) == 3 and serial == para


def test_jobs_must_be_positive(tmp_path):
    with pytest.raises(UsageError, match="--jobs"):
        render_paths([FIXTURE_EDITION], RenderOptions(out_dir=tmp_path, formats=["html"],
                                                      jobs=0))

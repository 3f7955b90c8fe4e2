"""Parallel: run independent pieces of a build in worker processes, forked from this one.

Workers are forked (not spawned) so that they share, copy-on-write, the edition already parsed
and modelled in the parent: nothing is parsed twice and nothing needs pickling but the results.
Each worker sets itself up once (``initializer``: compile a stylesheet, open a typesetter) and
then takes its share of the items. Results come back in the order of the items, so a parallel
build writes exactly what a serial one writes.

Where ``fork`` is not available (not Linux or macOS) or one job is asked for, everything runs
in this process, in order. So does work that needs Saxon once this process has started
Saxon itself (``note_saxon_started``): saxonche runs on GraalVM, which is not fork-safe once
started, and a forked child that uses it can die in its garbage collector ("GC must not
encounter unknown frames"). A render never starts Saxon in the parent before it forks; a
program that renders twice in one process, or a test suite, may.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .errors import BuildError, TeiEditionError

Item = TypeVar("Item")
Result = TypeVar("Result")

# What a forked worker runs: set by ``imap`` in the parent just before forking, inherited.
_task: Callable[[Any], Any] | None = None
_setup: Callable[[], None] | None = None
_in_worker = False
_saxon_here = False  # this process (not a worker) has started Saxon


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def in_worker() -> bool:
    """True in a process forked by ``imap`` (it must not reuse the parent's Saxon)."""
    return _in_worker


def note_saxon_started() -> None:
    """Called where a Saxon processor is made: from now on, Saxon work stays in this process
    (see the module's docstring)."""
    global _saxon_here
    if not _in_worker:
        _saxon_here = True


def shares_out(jobs: int, items: int, saxon: bool = False) -> bool:
    """Whether ``imap`` with these arguments forks workers (for progress messages)."""
    return jobs > 1 and items > 1 and can_fork() and not (saxon and _saxon_here)


def _init() -> None:
    global _in_worker
    _in_worker = True
    # Ctrl-C is the parent's to handle: it stops the workers (no traceback from each).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler (cli.run) is its own
    if _setup is not None:
        _setup()


def _run(item: Any) -> tuple[bool, Any]:
    """Run the task on one item; a user-facing error travels back as its message."""
    assert _task is not None
    try:
        return True, _task(item)
    except TeiEditionError as exc:
        return False, (type(exc).__name__, str(exc), getattr(exc, "exit_code", 1))


def imap(
    task: Callable[[Item], Result],
    items: Iterable[Item],
    jobs: int,
    setup: Callable[[], None] | None = None,
    saxon: bool = False,
) -> Iterator[Result]:
    """``task(item)`` for every item, in order, in ``jobs`` forked processes (in this one when
    the task uses Saxon, ``saxon``, and this process has started Saxon).

    ``setup`` runs once per process before its first item (in this process too when the
    work is done here). A ``TeiEditionError`` raised by a task is raised again here as a
    ``BuildError`` with the same message, and a worker that dies (killed, out of memory) is a
    ``BuildError`` too, never a hang; the other workers are then stopped.
    """
    global _task, _setup
    items = list(items)
    if not shares_out(jobs, len(items), saxon):
        if setup is not None:
            setup()
        for item in items:
            yield task(item)
        return
    _task, _setup = task, setup
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(min(jobs, len(items)), mp_context=context, initializer=_init)
    try:
        for ok, value in pool.map(_run, items):
            if not ok:
                _name, message, _code = value
                raise BuildError(message)
            yield value
    except BrokenProcessPool as exc:
        raise BuildError(
            "a worker process died (killed, or out of memory?); run again with --jobs 1 "
            "to work in one process") from exc
    except BaseException:
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _task, _setup = None, None


class Beside:
    """``task()`` run in a forked process while this one goes on (``beside``); ``result()``
    waits for it and returns its value, or raises what it raised."""

    def __init__(self, task: Callable[[], Result], fork: bool = True) -> None:
        self._task: Callable[[], Any] | None = None
        self._pid = 0
        if not (fork and can_fork()):
            self._task = task  # run by result(), here
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run the task, send back its outcome, leave at once
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            try:
                outcome: tuple[bool, Any] = (True, task())
            except BaseException as exc:  # noqa: BLE001 - every outcome goes back
                outcome = (False, exc)
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            try:
                data = pickle.dumps(outcome)
            except Exception as exc:  # noqa: BLE001 - an outcome that cannot travel
                data = pickle.dumps((False, BuildError(f"a worker process failed: {exc}")))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> Any:
        if self._task is not None:
            task, self._task = self._task, None
            return task()
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self._pid, 0)
        self._pid = 0
        if not data:
            raise BuildError("a worker process died (killed, or out of memory?); run again "
                             "with --jobs 1 to work in one process")
        ok, value = pickle.loads(data)  # noqa: S301 - our own child's outcome
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the task if it still runs (its outcome is no longer wanted)."""
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGTERM)
                os.waitpid(self._pid, 0)
                os.close(self._read)
            self._pid = 0


@contextlib.contextmanager
def beside(task: Callable[[], Result], jobs: int) -> Iterator[Beside]:
    """Run ``task`` in a forked process (with ``jobs`` > 1, where fork is available and this
    process has not started Saxon) while the body of the ``with`` goes on; leaving the body
    early stops it."""
    handle = Beside(task, fork=jobs > 1 and not _saxon_here and not _in_worker)
    try:
        yield handle
    finally:
        handle.cancel()


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now (their work is no longer wanted)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, AttributeError):
            process.terminate()

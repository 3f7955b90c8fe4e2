"""The build cache: what an earlier render made from exactly the same input, kept for the next.

A cached item is found by a key that is a hash of everything that went into making it: the
tool's version and code, the stylesheets, the document's own content, the documents it points
into, and the edition-wide data its page shows (navigation, register entries). An item is never
looked up by name or date, so a stale item cannot be served: change any input and the key
changes. After a build, items it did not use are removed, so the cache holds one build's worth.

The cache of an output folder lives in the user's cache folder
(``$TEI_EDITION_CACHE_DIR``, else ``$XDG_CACHE_HOME/tei-edition``, else
``~/.cache/tei-edition``), under a name made from the output folder's absolute path: the
output folder itself only ever receives finished builds. ``render --clean`` empties it. A cache
that cannot be written only makes the next build slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from functools import lru_cache
from pathlib import Path

from . import __version__

# How long a process waits for an item another one claimed (and how old a claim may be).
CLAIM_WAIT = 600.0


def cache_root(out_dir: Path) -> Path:
    """The folder holding the build cache of renders into ``out_dir``."""
    base = os.environ.get("TEI_EDITION_CACHE_DIR")
    if base:
        root = Path(base)
    elif os.environ.get("XDG_CACHE_HOME"):
        root = Path(os.environ["XDG_CACHE_HOME"]) / "tei-edition"
    else:
        root = Path.home() / ".cache" / "tei-edition"
    return root / digest(str(out_dir.resolve()))[:20]


def digest(*parts: bytes | str) -> str:
    """A hex SHA-256 of the parts, each length-prefixed (so ``ab``+``c`` ≠ ``a``+``bc``)."""
    h = hashlib.sha256()
    for part in parts:
        # surrogatepass: a file name that is not UTF-8 still hashes (and never raises)
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def tree_digest(folder: Path) -> str:
    """A hash of every file under ``folder`` (names and contents)."""
    parts: list[bytes | str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        parts.append(str(path.relative_to(folder)))
        parts.append(path.read_bytes())
    return digest(*parts)


class BuildCache:
    """Files and small records of renders into ``out_dir``, by key, in one ``area``."""

    def __init__(self, out_dir: Path, area: str):
        self.folder = Path(os.devnull)
        try:
            self.folder = cache_root(out_dir) / area
            self.folder.mkdir(parents=True, exist_ok=True)
            self.usable = os.access(self.folder, os.W_OK)
        except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
            self.usable = False

    @staticmethod
    def salt(*parts: bytes | str) -> str:
        """The part of every key shared by one build: the tool (its version and its code, so
        that a development build never serves what other code made) and ``parts``."""
        return digest(__version__, _code_digest(), *parts)

    # -- files

    def fetch_file(self, key: str, dest: Path) -> dict | None:
        """Put the cached file for ``key`` at ``dest``; its record, or None on a miss."""
        if not self.usable:
            return None
        item, record = self.folder / f"{key}.out", self.folder / f"{key}.json"
        try:
            meta = json.loads(record.read_text(encoding="utf-8"))
            shutil.copyfile(item, dest)
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else {}

    def store_file(self, key: str, made: Path, meta: dict) -> None:
        """Keep a copy of ``made`` with its record, under ``key`` (a copy, not a link: the
        published file may be changed by hand; the cache must not change with it)."""
        if not self.usable:
            return
        item, record = self.folder / f"{key}.out", self.folder / f"{key}.json"
        try:
            tmp = item.with_name(f"{key}.{os.getpid()}.tmp")
            shutil.copyfile(made, tmp)
            os.replace(tmp, item)
            tmp_record = record.with_name(f"{key}.{os.getpid()}.json.tmp")
            tmp_record.write_text(json.dumps(meta), encoding="utf-8")
            os.replace(tmp_record, record)
        except OSError:
            return  # a cache that cannot be written only makes the next build slower

    # -- records

    def get(self, key: str) -> object | None:
        """The record kept under ``key``, or None."""
        if not self.usable:
            return None
        try:
            value = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return value

    def put(self, key: str, value: object) -> None:
        if not self.usable:
            return
        record = self.folder / f"{key}.json"
        try:
            tmp = record.with_name(f"{key}.{os.getpid()}.json.tmp")
            tmp.write_text(json.dumps(value), encoding="utf-8")
            os.replace(tmp, record)
        except OSError:
            return

    # -- claims: one process makes an item, the others that want it wait for it

    def claim(self, key: str) -> bool:
        """Take the making of item ``key`` on this process: False when another live process
        (a worker of this render, or a render running beside it) is making it already; then
        ``wait`` for it. An unusable cache claims nothing and refuses no one."""
        if not self.usable:
            return True
        path = self.folder / f"{key}.claim"
        for _attempt in range(2):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if _claim_alive(path):
                    return False
                path.unlink(missing_ok=True)  # left by a process that died
                continue
            except OSError:
                return True
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(str(os.getpid()))
            return True
        return True

    def release(self, key: str) -> None:
        """Give up the claim on ``key`` (made or not: a waiter then looks for itself)."""
        if self.usable:
            with contextlib.suppress(OSError):
                (self.folder / f"{key}.claim").unlink(missing_ok=True)

    def wait(self, key: str, timeout: float = CLAIM_WAIT) -> object | None:
        """The record of ``key`` once the process that claimed it has stored it; None when
        that process stopped without storing it or ``timeout`` seconds went by."""
        deadline = time.monotonic() + timeout
        path = self.folder / f"{key}.claim"
        while True:
            value = self.get(key)
            if value is not None:
                return value
            if not _claim_alive(path) or time.monotonic() > deadline:
                return self.get(key)
            time.sleep(0.05)

    def prune(self, keep: set[str]) -> None:
        """Remove every item but those of ``keep`` (and leftovers of killed builds)."""
        if not self.usable:
            return
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for path in entries:
            if path.name.split(".", 1)[0] not in keep:
                path.unlink(missing_ok=True)


def _claim_alive(path: Path) -> bool:
    """True while the claim at ``path`` is held by a live process, and is not so old that its
    process id may have been given to another process since."""
    try:
        pid = int(path.read_text(encoding="utf-8").strip() or "0")
        age = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return False
    if pid <= 0 or age > CLAIM_WAIT:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, but another user's
        return True
    return True


@lru_cache(maxsize=1)
def _code_digest() -> str:
    package = Path(__file__).resolve().parent
    return digest(*(p.read_bytes() for p in sorted(package.glob("*.py"))))


def clear(out_dir: Path) -> None:
    """Forget everything cached for ``out_dir`` (``render --clean``)."""
    try:
        shutil.rmtree(cache_root(out_dir), ignore_errors=True)
    except RuntimeError:  # no home folder: no cache either
        return

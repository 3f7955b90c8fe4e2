"""A finding: one problem in one place, reported in the compiler convention."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: ``path:line:column: severity: [rule] message``.

    Ordered by file, then line and column, so reports read top to bottom.
    """

    path: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str

    def format(self) -> str:
        where = f"{printable(self.path)}:{self.line}:{self.column}"
        return f"{where}: {self.severity}: [{self.rule}] {printable(self.message)}"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


# C0 and C1 controls, and the bidirectional controls, which reorder the rest of a line
# (U+202E shows "#x\u202egpj.exe" as "#xexe.jpg").
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` on one line with no control character: a value from a file (a %1b in a URI)
    must not move the cursor or recolour the user's terminal. Line breaks become spaces."""
    return _CONTROL.sub(lambda m: " " if m.group() in "\t\n\r" else _escaped(m.group()), text)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        # abspath, not resolve: a symbolic link is shown by its own name, not its target's
        return str(Path(os.path.abspath(p)).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return str(p)


def findings_to_json(findings: list[Finding], summary: dict) -> str:
    return json.dumps(
        {"findings": [f.as_dict() for f in findings], "summary": summary},
        ensure_ascii=False,
        indent=2,
    )

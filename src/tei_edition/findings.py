"""A finding: one problem in one place, reported in the compiler convention."""

from __future__ import annotations

import json
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
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.severity}: [{self.rule}] {self.message}"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def findings_to_json(findings: list[Finding], summary: dict) -> str:
    return json.dumps(
        {"findings": [f.as_dict() for f in findings], "summary": summary},
        ensure_ascii=False,
        indent=2,
    )

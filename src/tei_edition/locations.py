"""Where an element (or one of its attributes) is in its file: line and column for findings.

lxml knows an element's line but not its column; the column is found by looking for the tag
(and the attribute) on that line of the file, which is read only when a finding needs it.
"""

from __future__ import annotations

import codecs
import os
import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .findings import Finding, Severity, display_path
from .sources import Source


@lru_cache(maxsize=256)
def _lines(path: Path, mtime_ns: int) -> tuple[str, ...]:
    try:
        data = path.read_bytes()
    except OSError:
        return ()
    return tuple(data.decode(_encoding(data), errors="replace").splitlines())


def _encoding(data: bytes) -> str:
    """The file's encoding as an XML parser finds it: its byte order mark, else its XML
    declaration, else UTF-8 (so that a UTF-16 file's columns are counted in characters)."""
    for mark, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(mark):
            return name
    declared = re.match(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", data[:200])
    if declared:
        try:
            return codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            pass
    return "utf-8"


def _line_text(path: Path, line: int) -> str:
    try:
        lines = _lines(path, path.stat().st_mtime_ns)
    except OSError:
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


def position(source: Source, el: etree._Element, attribute: str | None = None) -> tuple[int, int]:
    """Line and column (1-based) of an element's start tag, or of one of its attributes."""
    line = el.sourceline or 1
    text = _line_text(source.path, line)
    qname = etree.QName(el)
    name = f"{el.prefix}:{qname.localname}" if el.prefix else qname.localname
    starts = _starts(text, name)
    if not starts:
        return line, 1
    index = _occurrence_on_line(el, line) if len(starts) > 1 else 0
    column = starts[min(index, len(starts) - 1)] + 1
    if attribute:
        end = text.find(">", column)
        found = text.find(f" {attribute}=", column - 1, end if end >= 0 else len(text))
        if found >= 0:
            return line, found + 2
    return line, column


@lru_cache(maxsize=256)
def _starts(text: str, name: str) -> tuple[int, ...]:
    """Where the start tags of an element name begin on a line."""
    return tuple(m.start() for m in re.finditer(rf"<{re.escape(name)}(?=[\s/>]|$)", text))


def _occurrence_on_line(el: etree._Element, line: int) -> int:
    """How many elements of the same name start on the same line before this one."""
    return _line_index(el.getroottree().getroot(), el.tag, line).get(el, 0)


@lru_cache(maxsize=64)
def _line_index(root: etree._Element, tag: str, line: int) -> dict[etree._Element, int]:
    # Built once per (document, name, line): a file written on one long line may have
    # thousands of findings on it.
    index: dict[etree._Element, int] = {}
    for other in root.iter(tag):
        if other.sourceline == line:
            index[other] = len(index)
    return index


def finding(
    source: Source,
    el: etree._Element,
    severity: Severity,
    rule: str,
    message: str,
    attribute: str | None = None,
) -> Finding:
    """A finding located at an element (or its attribute) of a source."""
    line, column = position(source, el, attribute)
    return Finding(_display(source.path, os.getcwd()), line, column, severity, rule, message)


@lru_cache(maxsize=1024)
def _display(path: Path, cwd: str) -> str:
    # Resolving paths is slow, and a file may have thousands of findings; the working folder
    # is part of the key because the path shown is relative to it.
    return display_path(path)

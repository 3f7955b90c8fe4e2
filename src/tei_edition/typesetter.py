"""One change to how WeasyPrint breaks pages, made only while the print edition is laid out.

WeasyPrint (up to 70 at least) moves footnotes that already stand on a page to the next page
to make room for the first lines of a paragraph that begins at the foot of the page (the
"report footnotes" branch of ``layout.block._linebox_layout``, taken when the paragraph's
orphans rule forbids a break before the overflowing line but allows one after it). The calls
of those notes stay behind: a note printed a page after its call, which a book must never do,
and which CSS cannot turn off. Without that branch WeasyPrint does what the orphans rule
asks: the paragraph starts on the next page, and the notes stay with their calls.

``notes_stay_with_calls()`` lays out with a copy of ``_linebox_layout`` whose branch is never
taken, compiled from WeasyPrint's own source, and puts the original back afterwards. When
the source is not the one this was written for (another WeasyPrint version), nothing is
changed: ``pdf.py`` then still finds every moved note after layout and starts the paragraph
that pushed it on a new page (its remedy loop), one more layout per attempt.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

# The line of WeasyPrint's _linebox_layout that decides to move a page's notes away.
REPORT_DECISION = "report = not context.in_column and can_break_now and not could_break_before"


@cache
def _patched_linebox_layout():  # noqa: ANN202 - WeasyPrint's function, untyped
    """WeasyPrint's ``_linebox_layout`` without the branch, or None if it cannot be made."""
    try:
        from weasyprint.layout import block
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return None
    original = getattr(block, "_linebox_layout", None)
    if original is None:
        return None
    try:
        source = textwrap.dedent(inspect.getsource(original))
    except (OSError, TypeError):  # no source shipped (a frozen or bytecode-only install)
        return None
    if source.count(REPORT_DECISION) != 1:
        return None
    source = source.replace(REPORT_DECISION, "report = False")
    namespace: dict = {}
    try:
        code = compile(source, getattr(block, "__file__", "<weasyprint>"), "exec")
        exec(code, vars(block), namespace)  # noqa: S102 - WeasyPrint's own code, one line changed
    except SyntaxError:  # pragma: no cover - getsource gave something else
        return None
    return original, namespace.get("_linebox_layout")


def patch_available() -> bool:
    """Whether this WeasyPrint can be kept from moving notes away from their calls."""
    patched = _patched_linebox_layout()
    return patched is not None and patched[1] is not None


@contextmanager
def notes_stay_with_calls() -> Iterator[bool]:
    """Lay out, inside the block, without moving notes away from their calls; yields
    whether that could be done (see the module's docstring)."""
    patched = _patched_linebox_layout()
    if patched is None or patched[1] is None:
        yield False
        return
    from weasyprint.layout import block

    original, replacement = patched
    block._linebox_layout = replacement
    try:
        yield True
    finally:
        block._linebox_layout = original

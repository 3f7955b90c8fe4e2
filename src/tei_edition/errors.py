"""Exceptions a user can cause. The library raises them; ``cli.py`` turns them into messages.

Exit codes (see README): 0 ok, 1 errors found or build failed, 2 usage or I/O error.
"""

from __future__ import annotations


class TeiEditionError(Exception):
    """Base class of every error a user can cause; ``exit_code`` is what the CLI returns."""

    exit_code = 1


class UsageError(TeiEditionError):
    """Bad invocation: a missing path, an unknown option value, an unreadable schema."""

    exit_code = 2


class InputError(TeiEditionError):
    """The input cannot be used (not readable, not XML, unsafe)."""

    exit_code = 1


class BuildError(TeiEditionError):
    """Rendering failed; the previous output was left as it was."""

    exit_code = 1

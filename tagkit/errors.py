"""Exceptions a user can cause. Every one carries a message meant to be read by a merchandiser."""

from __future__ import annotations

_MAX_LISTED = 25


class TagkitError(Exception):
    """Base class of every error tagkit raises on purpose."""

    def _render_traceback_(self) -> list[str]:
        """What a notebook shows (IPython calls this): the message, which says what to change, without tagkit's
        internal frames. The cell still fails, so a batch run stops there and names it."""
        return [f"{type(self).__name__}: {self}"]


class ParameterError(TagkitError, ValueError):
    """A function or notebook parameter has a value outside its contract."""


class TaxonomyError(TagkitError):
    """The taxonomy file contradicts itself; ``problems`` lists every finding."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = list(problems)
        super().__init__(_listing(f"The taxonomy {source} has {len(problems)} problem(s):", problems))


class InputError(TagkitError):
    """An input file cannot be used as it is; ``problems`` lists every finding."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems or [])
        super().__init__(_listing(message, self.problems) if self.problems else message)


class UnknownTagError(TagkitError):
    """Raised by ``normalise_tags(..., unknown='raise')`` when tags are not in the taxonomy."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(
            _listing(
                f"{len(problems)} tag value(s) are not in the taxonomy "
                "(add them as aliases, or pass unknown='report' to list them instead):",
                problems,
            )
        )


class ReportError(TagkitError):
    """A notebook of the quarterly batch failed; the previous reports were left in place."""


def _listing(head: str, problems: list[str]) -> str:
    lines = [head] + [f"  - {p}" for p in problems[:_MAX_LISTED]]
    if len(problems) > _MAX_LISTED:
        lines.append(f"  ... and {len(problems) - _MAX_LISTED} more")
    return "\n".join(lines)

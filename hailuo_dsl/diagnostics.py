"""Diagnostics, their severities, and the text edits that fix them."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    """How bad a finding is. ``info`` findings are shown but do not fail a run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the code points ``[start, end)`` of the linted text with ``text``."""

    start: int
    end: int
    text: str


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (any order) to ``text``."""
    out: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : edit.start])
        out.append(edit.text)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Fix:
    """A set of non-overlapping edits that repairs one finding.

    ``safe`` fixes are applied by ``--fix``; unsafe ones (a guess among near meanings) only with
    ``--unsafe-fixes``. Every fix keeps the rest of the prompt's meaning as it was.
    """

    description: str
    edits: tuple[Edit, ...]
    safe: bool = True

    @property
    def start(self) -> int:
        return min(e.start for e in self.edits)

    @property
    def end(self) -> int:
        return max(e.end for e in self.edits)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a rule's code and name, where (code-point offsets), what, and how to fix it.

    Offsets refer to the text that was linted (a prompt, or a whole ``.shot`` file); turn them
    into lines and columns with :class:`hailuo_dsl.prompt.positions.LineIndex`.
    """

    code: str
    name: str
    severity: Severity
    message: str
    start: int
    end: int
    fix: Fix | None = None
    suggestions: tuple[str, ...] = field(default=())
    path: str | None = None
    """Set when the finding lies in another file than the one linted (a ``.shot`` file's shot-spec);
    the offsets are then into that file's text."""

    def with_offset(self, delta: int) -> Diagnostic:
        """The same diagnostic moved by ``delta`` code points (its fix too)."""
        fix = self.fix
        if fix is not None:
            edits = tuple(Edit(e.start + delta, e.end + delta, e.text) for e in fix.edits)
            fix = Fix(fix.description, edits, fix.safe)
        return Diagnostic(
            self.code,
            self.name,
            self.severity,
            self.message,
            self.start + delta,
            self.end + delta,
            fix,
            self.suggestions,
            self.path,
        )

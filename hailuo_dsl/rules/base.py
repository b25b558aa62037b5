"""The rule shape shared by every rule module, and the context a rule's check reads."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from hailuo_dsl.diagnostics import Fix, Severity
from hailuo_dsl.prompt.classify import Classification, ItemKind, classify
from hailuo_dsl.prompt.syntax import Bracket, Item, Prompt

DEFAULT_MOVE_BUDGET: dict[int, int] = {6: 3, 10: 5}


@dataclass(frozen=True, slots=True)
class Options:
    """What the rules need to know beyond the text: the clip's duration and the move budget."""

    duration: int = 6
    move_budget: dict[int, int] = field(default_factory=lambda: dict(DEFAULT_MOVE_BUDGET))
    require_text: bool = True


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check yields; the linter adds the rule's code, name and severity."""

    start: int
    end: int
    message: str
    fix: Fix | None = None
    suggestions: tuple[str, ...] = ()


Entry = tuple[Bracket, int, Item, Classification]
Move = tuple[int, Item, str]
_MOVE_KINDS = (ItemKind.CANONICAL, ItemKind.SPELLING)


@dataclass(slots=True)
class Context:
    """One prompt under lint: its tree, its options, and what every rule reads, computed once:
    each item of each closed bracket with its classification, grouped by kind, and each closed
    bracket's directives (any spelling)."""

    prompt: Prompt
    options: Options
    entries: list[Entry] = field(init=False)
    by_kind: dict[ItemKind, list[Entry]] = field(init=False)
    moves: list[tuple[Bracket, list[Move]]] = field(init=False)

    def __post_init__(self) -> None:
        self.entries, self.by_kind, self.moves = [], {}, []
        for bracket in self.prompt.brackets:
            if not bracket.closed:
                continue
            found: list[Move] = []
            for index, slot in enumerate(bracket.slots):
                if slot is None:
                    continue
                verdict = classify(slot.name)
                entry = (bracket, index, slot, verdict)
                self.entries.append(entry)
                self.by_kind.setdefault(verdict.kind, []).append(entry)
                if verdict.kind in _MOVE_KINDS and verdict.directive is not None:
                    found.append((index, slot, verdict.directive))
            self.moves.append((bracket, found))

    def of_kind(self, kind: ItemKind) -> list[Entry]:
        """The items of closed brackets classified as ``kind``."""
        return self.by_kind.get(kind, [])


Check = Callable[[Context], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A lint rule: a stable code, a kebab-case name, a default severity and a one-line summary.

    ``explanation`` (shown by ``hailuo rule CODE``) is the check function's docstring. Prompt rules
    have a ``check`` over one prompt; script rules (``.shot`` syntax, compile checks) have none:
    the script linter and the compiler report them, and the registry lists them all alike.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    check: Check | None
    fixable: bool


def rule(code: str, name: str, severity: Severity, summary: str, *, fixable: bool = False) -> Callable[[Check], Rule]:
    """Declare a rule from its check function (whose docstring is the long explanation)."""

    def wrap(check: Check) -> Rule:
        return Rule(code, name, severity, summary, inspect.getdoc(check) or summary, check, fixable)

    return wrap


def script_rule(code: str, name: str, severity: Severity, summary: str, explanation: str, *, fixable: bool = False) -> Rule:
    """Declare a rule that the ``.shot`` linter or the compiler reports (it has no prompt check)."""
    return Rule(code, name, severity, summary, inspect.cleandoc(explanation), None, fixable)


def quoted(name: str) -> str:
    """``[name]``, as people write a directive in a message."""
    return f"[{name}]"


def did_you_mean(options: tuple[str, ...]) -> str:
    if not options:
        return ""
    return "; did you mean " + " or ".join(quoted(o) for o in options) + "?"

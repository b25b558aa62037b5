"""The rule shape shared by every rule module, and the context a prompt rule's check reads (the
contexts of the script rules are in ``hailuo_dsl.rules.contexts``)."""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hailuo_dsl.diagnostics import Diagnostic, Fix, Severity
from hailuo_dsl.prompt.classify import Classification, ItemKind, classify
from hailuo_dsl.prompt.syntax import Bracket, Item, Prompt

DEFAULT_MOVE_BUDGET: dict[int, int] = {6: 3, 10: 5}


@dataclass(frozen=True, slots=True)
class Options:
    """What the rules need to know beyond the text: the clip's duration and the move budget."""

    duration: int = 6
    move_budget: dict[int, int] = field(default_factory=lambda: dict(DEFAULT_MOVE_BUDGET))
    require_text: bool = True


class Scope(enum.Enum):
    """What a check reads, and so who runs it: one prompt (:class:`Context`, the prompt linter), a
    parsed script (``ScriptContext``, the script parser), a shot-spec as read (``SpecContext``),
    one shot with its settings resolved (``ShotContext``) or one frame a shot names
    (``FrameContext``; these three the compiler's)."""

    PROMPT = "prompt"
    SCRIPT = "script"
    SPEC = "spec"
    SHOT = "shot"
    FRAME = "frame"


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check yields; the linter adds the rule's code, name and severity. ``path`` is the
    file the finding stands in when it is not the text under check (a shot-spec's)."""

    start: int
    end: int
    message: str
    fix: Fix | None = None
    suggestions: tuple[str, ...] = ()
    path: str | None = None


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
AnyCheck = Callable[[Any], Iterator[Finding]]
"""A check over the context of its scope."""
C = TypeVar("C")


@dataclass(frozen=True, slots=True)
class Rule:
    """A lint rule: a stable code, a kebab-case name, a default severity and a one-line summary.

    ``explanation`` (shown by ``hailuo rule CODE``) is the docstring of the rule's first check.
    ``checks`` holds one check per scope the rule reads (HL601 reads a spec and a shot; HL501 a
    prompt and, in a script, a shot); ``check`` is its prompt check, the one the prompt linter
    runs (None for a rule that reads no prompt). ``enforced`` rules stay errors in ``hailuo
    compile`` whatever the configuration or a suppression says: the API refuses what they find,
    or (HL704) a render could not tell the shots apart.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    check: Check | None
    fixable: bool
    checks: tuple[tuple[Scope, AnyCheck], ...] = ()
    enforced: bool = False

    def check_for(self, scope: Scope) -> AnyCheck | None:
        """The rule's check over ``scope``, if it reads it."""
        return next((check for s, check in self.checks if s is scope), None)

    def diagnostic(self, finding: Finding) -> Diagnostic:
        """A finding of this rule as a diagnostic, at the rule's own severity."""
        f = finding
        return Diagnostic(self.code, self.name, self.severity, f.message, f.start, f.end, f.fix, f.suggestions, f.path)


def rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    scope: Scope = Scope.PROMPT,
    fixable: bool = False,
    enforced: bool = False,
    also: Mapping[Scope, AnyCheck] | None = None,
) -> Callable[[Callable[[C], Iterator[Finding]]], Rule]:
    """Declare a rule from its check over ``scope`` (whose docstring is the long explanation);
    ``also`` adds its checks over other scopes."""

    def wrap(check: Callable[[C], Iterator[Finding]]) -> Rule:
        checks = ((scope, check), *(also or {}).items())
        prompt = dict(checks).get(Scope.PROMPT)
        return Rule(code, name, severity, summary, inspect.getdoc(check) or summary, prompt, fixable, checks, enforced)

    return wrap


Bound = tuple[Rule, AnyCheck]
"""A rule with its check over one scope."""


def bound(rules: Iterable[Rule], scope: Scope) -> tuple[Bound, ...]:
    """Each of ``rules`` that reads ``scope``, with its check over it, in the order given."""
    return tuple((r, check) for r in rules if (check := r.check_for(scope)) is not None)


def run_checks(checks: Iterable[Bound], ctx: object) -> Iterator[tuple[Rule, Finding]]:
    """Every finding of ``checks`` over one context of their scope, rule by rule, with its rule."""
    for r, check in checks:
        for found in check(ctx):
            yield r, found


def quoted(name: str) -> str:
    """``[name]``, as people write a directive in a message."""
    return f"[{name}]"


def did_you_mean(options: tuple[str, ...]) -> str:
    if not options:
        return ""
    return "; did you mean " + " or ".join(quoted(o) for o in options) + "?"

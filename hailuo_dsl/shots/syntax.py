"""The syntax tree of a ``.shot`` script: shots with their settings and prompt lines, comments,
suppressions, and the optional reference to a shot-spec. Offsets are code points into the file.

The tree is total: what does not fit it (a line outside any shot, a setting without one whole
value or with an unknown key, a header without a valid name, every ``spec`` line, a suppression
comment that names nothing) is recorded as it was seen, for the rules HL7xx to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.prompt.syntax import Span

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""A valid shot name."""
SUPPRESSION_ACTIONS = {"ignore": "line", "ignore-shot": "shot", "ignore-file": "file"}
"""The actions of a suppression comment (``# hailuo: ACTION CODES``) and the scope each silences."""


@dataclass(slots=True)
class Setting:
    """``@key value`` inside a shot. ``value`` is the value as meant (quotes removed, escapes read);
    ``raw`` is the value as written."""

    key: str
    value: str
    raw: str
    span: Span
    key_span: Span
    value_span: Span


@dataclass(slots=True)
class PromptLine:
    """One line of a shot's prompt: its text (indentation removed) and the file offset of its
    first character."""

    text: str
    start: int


@dataclass(slots=True)
class Comment:
    """A comment line; ``text`` is the whole comment as written, marker included."""

    text: str
    span: Span


@dataclass(slots=True)
class Suppression:
    """A comment that silences rules: ``codes`` empty means every rule. ``scope`` is ``"line"``
    (the line it ends, or the next line when it stands alone), ``"shot"`` or ``"file"``;
    ``start``/``end`` are the file offsets it covers."""

    codes: frozenset[str]
    scope: str
    start: int
    end: int
    span: Span

    def covers(self, code: str, offset: int) -> bool:
        return (not self.codes or code in self.codes) and self.start <= offset <= self.end


@dataclass(slots=True)
class Shot:
    """A named shot: its settings and its prompt, joined from its lines as documented."""

    name: str
    name_span: Span
    span: Span
    settings: list[Setting] = field(default_factory=list)
    lines: list[PromptLine] = field(default_factory=list)
    prompt: str = ""
    prompt_offsets: list[int] = field(default_factory=list)
    """For each code point of ``prompt`` (and one past its end), its offset in the file."""

    def setting(self, key: str) -> Setting | None:
        """The last ``@key`` of this shot (a repeated key is itself a diagnostic)."""
        found = None
        for s in self.settings:
            if s.key == key:
                found = s
        return found

    def file_offset(self, prompt_offset: int) -> int:
        """The file offset of a code point of ``prompt`` (or of its end)."""
        return self.prompt_offsets[prompt_offset]


@dataclass(slots=True)
class SpecRef:
    """``spec "file.toml"``: the shot-spec, relative to the script."""

    value: str
    span: Span
    value_span: Span


ValueShape = Literal["one", "missing", "extra", "open"]
"""What follows a key (``@key`` or ``spec``) on its line: one whole value, nothing, more than one
value, or a quoted value without its closing quote."""


@dataclass(slots=True)
class StrayLine:
    """A line no shot holds as it stands: text or a setting at column 0 (``shot`` is the shot it
    stands in, if any), or an indented line before the first shot. ``span`` is its text (a
    setting's key and values)."""

    span: Span
    setting: bool
    indented: bool
    shot: str | None


@dataclass(slots=True)
class SettingLine:
    """A ``@key`` line inside a shot that gave it no setting: no key, an unknown key, or not one
    whole value. ``key_span`` covers ``@key``; ``value_span`` the values (from the second one
    when there are several; the key when there is none)."""

    key: str
    key_span: Span
    shape: ValueShape
    value_span: Span


@dataclass(slots=True)
class SpecLine:
    """A ``spec`` line, wherever it stands: ``span`` is the line, ``keyword`` its ``spec``,
    ``after_shot`` whether a shot header came before it."""

    span: Span
    keyword: Span
    shape: ValueShape
    value_span: Span
    after_shot: bool


SuppressionTrouble = Literal["action", "rule", "after-last-shot", "outside-shot"]
"""Why a suppression comment silences nothing: an unknown action word, an unknown rule word, an
``ignore-shot`` with no shot after it, or an ``ignore-shot`` trailing a line outside any shot."""


@dataclass(slots=True)
class UnreadSuppression:
    """A suppression comment, or a word of one, that silences nothing; ``word`` is the word as
    written (the action or the rule), ``span`` the word's, or the comment's when no word is to
    blame."""

    trouble: SuppressionTrouble
    word: str
    span: Span


@dataclass(slots=True)
class Script:
    """A parsed ``.shot`` file: its shots (with a valid name; ``invalid_shots`` are those whose
    header has none: they still own their lines), and the records of what did not fit the tree.
    ``diagnostics`` hold the syntax findings (HL7xx) the rules make of them; the parser never
    raises on user text."""

    text: str
    path: Path | None
    spec: SpecRef | None
    shots: list[Shot]
    comments: list[Comment]
    suppressions: list[Suppression]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    invalid_shots: list[Shot] = field(default_factory=list)
    stray_lines: list[StrayLine] = field(default_factory=list)
    setting_lines: list[SettingLine] = field(default_factory=list)
    spec_lines: list[SpecLine] = field(default_factory=list)
    unread_suppressions: list[UnreadSuppression] = field(default_factory=list)

    def shot(self, name: str) -> Shot | None:
        return next((s for s in self.shots if s.name == name), None)

    def shot_at(self, offset: int) -> Shot | None:
        """The shot whose span holds ``offset`` (for editors)."""
        return next((s for s in self.shots if s.span.start <= offset <= s.span.end), None)

    def suppresses(self, d: Diagnostic) -> bool:
        """Whether a suppression comment silences ``d``: a finding in the script by its offset,
        one in another file (the spec, ``d.path`` set) only by a file-wide comment."""
        if d.path is None:
            return any(s.covers(d.code, d.start) for s in self.suppressions)
        return any(s.scope == "file" and (not s.codes or d.code in s.codes) for s in self.suppressions)

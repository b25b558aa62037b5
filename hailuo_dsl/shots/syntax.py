"""The syntax tree of a ``.shot`` script: shots with their settings and prompt lines, comments,
suppressions, and the optional reference to a shot-spec. Offsets are code points into the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.prompt.syntax import Span


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


@dataclass(slots=True)
class Script:
    """A parsed ``.shot`` file. ``diagnostics`` hold the syntax findings (HL7xx); the parser never
    raises on user text."""

    text: str
    path: Path | None
    spec: SpecRef | None
    shots: list[Shot]
    comments: list[Comment]
    suppressions: list[Suppression]
    diagnostics: list[Diagnostic]

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

"""``parse_script``: a ``.shot`` file to a :class:`Script` with exact spans. Never raises on text.

The scanner (``hailuo_dsl.shots.scanner``) classifies and tokenises the lines as the grammar
(``grammar/shot.lark``) defines them; this module's assembler builds the tree from those lines and
reports the syntax diagnostics (HL7xx): what a line means beyond its kind (one value, a known key,
a valid and unique name) is checked here, so a mistake never stops the parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix
from hailuo_dsl.prompt.syntax import Span
from hailuo_dsl.rules import BY_CODE, BY_NAME, Rule
from hailuo_dsl.rules import script_syntax as rules
from hailuo_dsl.shots.scanner import Line, Tok, lark_lines, read_value, scan_lines
from hailuo_dsl.shots.settings import SETTINGS, closest_setting
from hailuo_dsl.shots.syntax import Comment, PromptLine, Script, Setting, Shot, SpecRef, Suppression
from hailuo_dsl.textfile import TextFileError, read_text_file

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""A valid shot name."""

_HEADER_LIKE = re.compile(r"shot[ \t]+[A-Za-z0-9][A-Za-z0-9_.-]*")
_VALUE_KINDS = ("WORD", "STRING", "OPEN_STRING")
_SUPPRESSION = re.compile(r"#[ \t]*hailuo[ \t]*:[ \t]*(?P<action>[^ \t]*)(?P<rest>.*)")
_ACTIONS = {"ignore": "line", "ignore-shot": "shot", "ignore-file": "file"}


class ScriptReadError(OSError):
    """A ``.shot`` file that cannot be read as text: missing, unreadable, binary or not UTF-8.
    The message is one line that names the file."""


# ----------------------------------------------------------------------------------------------
# The public entry points


def parse_script(text: str, path: Path | None = None, *, lines: list[Line] | None = None) -> Script:
    """Parse a ``.shot`` script; any text gives a tree (syntax findings are in ``diagnostics``).
    ``lines`` are ``scan_lines(text)`` when the caller has them already."""
    return _Builder(text, path).build(scan_lines(text) if lines is None else lines)


def parse_script_lalr(text: str, path: Path | None = None) -> Script:
    """Parse with Lark's LALR(1) parser on the grammar: the reference engine, for tests."""
    return _Builder(text, path).build(lark_lines(text))


def load_script(path: str | Path) -> Script:
    """Read and parse a ``.shot`` file (UTF-8, an initial byte-order mark is skipped)."""
    path = Path(path)
    try:
        text = read_text_file(path)
    except TextFileError as err:
        raise ScriptReadError(str(err)) from None
    return parse_script(text, path)


# ----------------------------------------------------------------------------------------------
# The assembler


@dataclass(slots=True)
class OpenShot:
    """A shot being assembled (also for a header whose name is invalid: its lines still belong
    to it, but it is not listed in ``Script.shots``)."""

    shot: Shot
    end: int
    seen: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Pending:
    """A suppression comment waiting for what it covers."""

    codes: frozenset[str]
    scope: str
    span: Span
    shot: OpenShot | None = None


class _Builder:
    def __init__(self, text: str, path: Path | None) -> None:
        self.text = text
        self.path = path
        self.shots: list[Shot] = []
        self.states: list[OpenShot] = []
        self.current: OpenShot | None = None
        self.names: dict[str, int] = {}
        self.spec: SpecRef | None = None
        self.spec_line = 0
        self.comments: list[Comment] = []
        self.suppressions: list[Suppression] = []
        self.diagnostics: list[Diagnostic] = []
        self.waiting_line: list[_Pending] = []
        self.waiting_shot: list[_Pending] = []
        self.shot_scoped: list[_Pending] = []

    def report(
        self, rule: Rule, start: int, end: int, message: str, fix: Fix | None = None, suggestions: Iterable[str] = ()
    ) -> None:
        self.diagnostics.append(Diagnostic(rule.code, rule.name, rule.severity, message, start, end, fix, tuple(suggestions)))

    def build(self, lines: list[Line]) -> Script:
        for line in lines:
            if line.kind in ("comment", "indented_comment"):
                self.comment(line, line.tokens[0 if line.kind == "comment" else 1], standalone=True)
                continue
            for pending in self.waiting_line:
                self.suppressions.append(Suppression(pending.codes, "line", line.start, line.end, pending.span))
            self.waiting_line.clear()
            getattr(self, "on_" + line.kind)(line)
        self.close_shot()
        for pending in self.shot_scoped:
            assert pending.shot is not None  # set when it joined shot_scoped
            span = pending.shot.shot.span
            self.suppressions.append(Suppression(pending.codes, "shot", span.start, span.end, pending.span))
        for pending in self.waiting_shot:
            self.report(rules.bad_suppression, *pending.span, "ignore-shot after the last shot covers no shot")
        if not self.states:
            self.report(rules.empty_script, 0, 0, "No shots in this script; a shot begins with 'shot NAME' at column 0")
        self.diagnostics.sort(key=lambda d: (d.start, d.code))
        return Script(self.text, self.path, self.spec, self.shots, self.comments, self.suppressions, self.diagnostics)

    # -- lines ----------------------------------------------------------------------------------

    def on_header(self, line: Line) -> None:
        self.close_shot()
        keyword = line.tokens[0]
        values, comment = self.split_rest(line.tokens[1:])
        listed = False
        if not values:
            name, name_span = "", Span(keyword.end, keyword.end)
            self.report(rules.invalid_shot_name, keyword.start, keyword.end, "A shot header needs a name: 'shot NAME'")
        else:
            name_span = Span(values[0].start, values[-1].end)
            name = self.text[name_span.start : name_span.end]
            if len(values) == 1 and values[0].kind == "WORD" and NAME_PATTERN.fullmatch(name):
                listed = True
                if name in self.names:
                    self.report(
                        rules.duplicate_shot_name,
                        *name_span,
                        f"Duplicate shot name '{name}' (the first is on line {self.names[name] + 1})",
                    )
                else:
                    self.names[name] = line.number
            else:
                self.invalid_name(name, name_span)
        shot = Shot(name, name_span, Span(line.start, line.end))
        state = OpenShot(shot, line.end)
        self.states.append(state)
        if listed:
            self.shots.append(shot)
        self.current = state
        for pending in self.waiting_shot:
            pending.shot = state
            self.shot_scoped.append(pending)
        self.waiting_shot.clear()
        if comment is not None:
            self.comment(line, comment, standalone=False)

    def invalid_name(self, name: str, span: Span) -> None:
        message = f"Invalid shot name '{name}': use letters, digits, '_', '.' and '-', starting with a letter or digit"
        candidate = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-_.")
        fix = None
        if candidate and NAME_PATTERN.fullmatch(candidate):
            fix = Fix(f"Rename to '{candidate}'", (Edit(span.start, span.end, candidate),), safe=False)
        self.report(rules.invalid_shot_name, *span, message, fix, (candidate,) if fix else ())

    def on_spec(self, line: Line) -> None:
        keyword = line.tokens[0]
        values, comment = self.split_rest(line.tokens[1:])
        if comment is not None:
            self.comment(line, comment, standalone=False)
        if self.states:
            self.report(rules.misplaced_spec, line.start, line.end, "The spec line must come before the first shot")
            return
        if self.spec is not None:
            self.report(
                rules.misplaced_spec, line.start, line.end, f"A second spec line (the first is on line {self.spec_line + 1})"
            )
            return
        token = self.one_value(values, keyword, 'spec needs a file name: spec "file.toml"', "spec takes one file name")
        if token is not None:
            raw = self.text[token.start : token.end]
            self.spec = SpecRef(read_value(raw), Span(keyword.start, token.end), Span(token.start, token.end))
            self.spec_line = line.number

    def on_setting(self, line: Line) -> None:
        key_tok = line.tokens[1]
        values, comment = self.split_rest(line.tokens[2:])
        if comment is not None:
            self.comment(line, comment, standalone=False)
        state = self.current
        end = values[-1].end if values else key_tok.end
        if state is None:
            self.report(
                rules.setting_outside_shot, key_tok.start, end, "A setting outside a shot; settings go under a shot header"
            )
            return
        state.end = line.end
        key = self.text[key_tok.start + 1 : key_tok.end]
        key_span = Span(key_tok.start + 1, key_tok.end)
        if not key:
            self.report(rules.setting_syntax, key_tok.start, key_tok.end, "A setting needs a key: '@key value'")
            return
        if key not in SETTINGS:
            close = closest_setting(key)
            hint = f"; did you mean @{close}?" if close else f" (known: {', '.join('@' + k for k in SETTINGS)})"
            fix = Fix(f"Replace with @{close}", (Edit(key_span.start, key_span.end, close),)) if close else None
            self.report(
                rules.unknown_setting, key_tok.start, key_tok.end, f"Unknown setting @{key}{hint}", fix, (close,) if close else ()
            )
        token = self.one_value(values, key_tok, f"@{key} has no value", f"@{key} takes one value; quote a value that has spaces")
        if token is None or key not in SETTINGS:
            return
        shot = state.shot
        if shot.lines:
            self.report(
                rules.setting_after_prompt,
                key_tok.start,
                token.end,
                f"@{key} comes after the prompt has begun; it applies to the whole shot, so put it first",
                self.move_up(line, shot.lines[0]),
            )
        if key in state.seen:
            self.report(
                rules.repeated_setting,
                key_tok.start,
                key_tok.end,
                f"@{key} is already set on line {state.seen[key] + 1}; the last one wins",
            )
        state.seen[key] = line.number
        raw = self.text[token.start : token.end]
        shot.settings.append(
            Setting(key, read_value(raw), raw, Span(key_tok.start, token.end), key_span, Span(token.start, token.end))
        )

    def move_up(self, line: Line, first: PromptLine) -> Fix | None:
        """The fix that moves a setting line (with its trailing comment) above the prompt."""
        newline = "\r\n" if self.text.startswith("\r\n", line.end) else "\n"
        if not self.text.startswith(newline, line.end):
            return None
        target = self.text.rfind("\n", 0, first.start) + 1
        moved = self.text[line.start : line.end] + newline
        return Fix(
            "Move the setting above the prompt", (Edit(target, target, moved), Edit(line.start, line.end + len(newline), ""))
        )

    def on_prompt_line(self, line: Line) -> None:
        indent = line.tokens[0]
        escaped = len(line.tokens) > 1 and line.tokens[1].kind == "ESCAPE"
        start = line.tokens[1].start + 1 if escaped else indent.end
        text = self.text[start : line.end].rstrip(" \t")
        state = self.current
        if state is None:
            self.report(
                rules.text_outside_shot, start, start + len(text), "Text before the first shot; a shot begins with 'shot NAME'"
            )
            return
        state.end = line.end
        state.shot.lines.append(PromptLine(text, start))
        if not escaped and _HEADER_LIKE.fullmatch(text):
            self.report(
                rules.indented_header,
                start,
                start + len(text),
                f"'{text}' is indented, so it is prompt text of shot '{state.shot.name}', not a new shot",
                Fix("Move the header to column 0", (Edit(line.start, start, ""),), safe=False),
            )

    def on_stray_text(self, line: Line) -> None:
        token = line.tokens[0]
        word = self.text[token.start : token.end]
        state = self.current
        if state is None:
            what = "A setting" if word.startswith("@") else "Text"
            self.report(
                rules.text_outside_shot, token.start, token.end, f"{what} before the first shot; a shot begins with 'shot NAME'"
            )
            return
        state.end = line.end
        indent = Fix("Indent the line into the shot", (Edit(line.start, line.start, "  "),), safe=word.startswith("@"))
        what = "setting" if word.startswith("@") else "text"
        self.report(
            rules.text_outside_shot,
            token.start,
            token.end,
            f"Unindented {what} in shot '{state.shot.name}'; the lines of a shot are indented",
            indent,
        )

    # -- pieces ---------------------------------------------------------------------------------

    def split_rest(self, tokens: Iterable[Tok]) -> tuple[list[Tok], Tok | None]:
        values: list[Tok] = []
        comment = None
        for tok in tokens:
            if tok.kind in _VALUE_KINDS:
                values.append(tok)
            elif tok.kind == "COMMENT":
                comment = tok
        return values, comment

    def one_value(self, values: list[Tok], owner: Tok, missing: str, extra: str) -> Tok | None:
        if not values:
            self.report(rules.setting_syntax, owner.start, owner.end, missing)
            return None
        if len(values) > 1:
            self.report(rules.setting_syntax, values[1].start, values[-1].end, extra)
            return None
        if values[0].kind == "OPEN_STRING":
            self.report(rules.unterminated_string, values[0].start, values[0].end, "The quoted value has no closing '\"'")
            return None
        return values[0]

    def close_shot(self) -> None:
        state = self.current
        if state is None:
            return
        shot = state.shot
        shot.span = Span(shot.span.start, state.end)
        parts: list[str] = []
        offsets: list[int] = []
        end = shot.name_span.start
        for i, pl in enumerate(shot.lines):
            if i:
                parts.append(" ")
                offsets.append(end)
            parts.append(pl.text)
            offsets.extend(range(pl.start, pl.start + len(pl.text)))
            end = pl.start + len(pl.text)
        offsets.append(end)
        shot.prompt = "".join(parts)
        shot.prompt_offsets = offsets

    def comment(self, line: Line, tok: Tok, *, standalone: bool) -> None:
        text = self.text[tok.start : tok.end]
        span = Span(tok.start, tok.end)
        self.comments.append(Comment(text, span))
        if standalone and line.kind == "indented_comment" and self.current is not None:
            self.current.end = line.end
        m = _SUPPRESSION.match(text)
        if m is None:
            return
        action = m.group("action")
        scope = _ACTIONS.get(action)
        if scope is None:
            close = [a for a in _ACTIONS if _near(action, a)]
            hint = f"; did you mean '{close[0]}'?" if close else " (use ignore, ignore-shot or ignore-file)"
            self.report(
                rules.bad_suppression,
                tok.start + m.start("action"),
                tok.start + m.end("action"),
                f"Unknown suppression '{action}'{hint}",
            )
            return
        codes = self.suppression_codes(text, tok.start, m.start("rest"))
        if codes is None:
            return
        if scope == "file":
            self.suppressions.append(Suppression(codes, "file", 0, len(self.text), span))
        elif scope == "line":
            if standalone:
                self.waiting_line.append(_Pending(codes, "line", span))
            else:
                self.suppressions.append(Suppression(codes, "line", line.start, line.end, span))
        elif standalone and line.kind == "comment":
            self.waiting_shot.append(_Pending(codes, "shot", span))
        elif self.current is None:
            self.report(rules.bad_suppression, *span, "ignore-shot outside a shot covers no shot")
        else:
            self.shot_scoped.append(_Pending(codes, "shot", span, self.current))

    def suppression_codes(self, text: str, offset: int, rest: int) -> frozenset[str] | None:
        """The codes a suppression names (empty = every rule); None when none of them is known."""
        stop = text.find("--", rest)
        region = text[rest : stop if stop >= 0 else len(text)]
        codes: set[str] = set()
        named = 0
        for m in re.finditer(r"[^,\s]+", region):
            named += 1
            word = m.group()
            found = _codes_of(word)
            if found:
                codes.update(found)
            else:
                start = offset + rest + m.start()
                self.report(rules.bad_suppression, start, start + len(word), f"Unknown rule '{word}' in a suppression comment")
        if named and not codes:
            return None
        return frozenset(codes)


def _codes_of(word: str) -> set[str]:
    upper = word.upper()
    if upper in BY_CODE:
        return {upper}
    if word in BY_NAME:
        return {BY_NAME[word].code}
    prefix = upper.rstrip("X")
    if prefix.startswith("HL") and len(prefix) > 2:
        return {code for code in BY_CODE if code.startswith(prefix)}
    return set()


def _near(word: str, target: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, word.lower(), target).ratio() >= 0.7

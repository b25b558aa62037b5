"""``parse_script``: a ``.shot`` file to a :class:`Script` with exact spans. Never raises on text.

The scanner (``hailuo_dsl.shots.scanner``) classifies and tokenises the lines as the grammar
(``grammar/shot.lark``) defines them; this module's assembler builds the tree from those lines.
What a line means beyond its kind (one value, a known key, a valid name, a readable suppression)
is recorded in the tree as it was seen, never judged here: the rules HL7xx (``Scope.SCRIPT``)
judge the records, and ``parse_script`` puts their findings in ``Script.diagnostics``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hailuo_dsl.prompt.syntax import Span
from hailuo_dsl.rules import BY_CODE, BY_NAME, SCRIPT_CHECKS, run_checks
from hailuo_dsl.rules.contexts import ScriptContext
from hailuo_dsl.shots.scanner import Line, Tok, lark_lines, read_value, scan_lines
from hailuo_dsl.shots.settings import SETTINGS
from hailuo_dsl.shots.syntax import (
    NAME_PATTERN,
    SUPPRESSION_ACTIONS,
    Comment,
    PromptLine,
    Script,
    Setting,
    SettingLine,
    Shot,
    SpecLine,
    SpecRef,
    StrayLine,
    Suppression,
    SuppressionTrouble,
    UnreadSuppression,
    ValueShape,
)
from hailuo_dsl.textfile import TextFileError, read_text_file

_VALUE_KINDS = ("WORD", "STRING", "OPEN_STRING")
_SUPPRESSION = re.compile(r"#[ \t]*hailuo[ \t]*:[ \t]*(?P<action>[^ \t]*)(?P<rest>.*)")


class ScriptReadError(OSError):
    """A ``.shot`` file that cannot be read as text: missing, unreadable, binary or not UTF-8.
    The message is one line that names the file."""


# ----------------------------------------------------------------------------------------------
# The public entry points


def parse_script(text: str, path: Path | None = None, *, lines: list[Line] | None = None) -> Script:
    """Parse a ``.shot`` script; any text gives a tree, with the syntax findings (HL7xx) in
    ``diagnostics``. ``lines`` are ``scan_lines(text)`` when the caller has them already."""
    return judged(_Builder(text, path).build(scan_lines(text) if lines is None else lines))


def parse_script_lalr(text: str, path: Path | None = None) -> Script:
    """Parse with Lark's LALR(1) parser on the grammar: the reference engine, for tests."""
    return judged(_Builder(text, path).build(lark_lines(text)))


def judged(script: Script) -> Script:
    """``script`` with ``diagnostics`` set to what the rules HL7xx find in its tree."""
    found = [r.diagnostic(f) for r, f in run_checks(SCRIPT_CHECKS, ScriptContext(script))]
    found.sort(key=lambda d: (d.start, d.code))
    script.diagnostics = found
    return script


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
    to it, but it is listed in ``Script.invalid_shots``)."""

    shot: Shot
    end: int


@dataclass(slots=True)
class _Pending:
    """A suppression comment waiting for what it covers."""

    codes: frozenset[str]
    span: Span
    shot: OpenShot | None = None


class _Builder:
    """The assembler: builds one ``Script`` from its scanned lines, one ``on_<kind>`` per line kind.

    It holds the text, the script being built, the shot still open (its settings and prompt
    lines gathered until the next header) and the suppression comments waiting for the line or
    shot they cover. It records what it sees (values, keys, names, stray lines) without judging
    it: the HL7xx rules judge the records.
    """

    def __init__(self, text: str, path: Path | None) -> None:
        self.text = text
        self.script = Script(text, path, None, [], [], [])
        self.current: OpenShot | None = None
        self.waiting_line: list[_Pending] = []
        self.waiting_shot: list[_Pending] = []
        self.shot_scoped: list[_Pending] = []

    def build(self, lines: list[Line]) -> Script:
        script = self.script
        for line in lines:
            if line.kind in ("comment", "indented_comment"):
                self.comment(line, line.tokens[0 if line.kind == "comment" else 1], standalone=True)
                continue
            for pending in self.waiting_line:
                script.suppressions.append(Suppression(pending.codes, "line", line.start, line.end, pending.span))
            self.waiting_line.clear()
            getattr(self, "on_" + line.kind)(line)
        self.close_shot()
        for pending in self.shot_scoped:
            assert pending.shot is not None  # set when it joined shot_scoped
            span = pending.shot.shot.span
            script.suppressions.append(Suppression(pending.codes, "shot", span.start, span.end, pending.span))
        for pending in self.waiting_shot:
            self.unread("after-last-shot", "", pending.span)
        return script

    def unread(self, trouble: SuppressionTrouble, word: str, span: Span) -> None:
        self.script.unread_suppressions.append(UnreadSuppression(trouble, word, span))

    # -- lines ----------------------------------------------------------------------------------

    def on_header(self, line: Line) -> None:
        self.close_shot()
        keyword = line.tokens[0]
        values, comment = self.split_rest(line.tokens[1:])
        if not values:
            name, name_span = "", Span(keyword.end, keyword.end)
        else:
            name_span = Span(values[0].start, values[-1].end)
            name = self.text[name_span.start : name_span.end]
        shot = Shot(name, name_span, Span(line.start, line.end))
        valid = len(values) == 1 and values[0].kind == "WORD" and NAME_PATTERN.fullmatch(name) is not None
        (self.script.shots if valid else self.script.invalid_shots).append(shot)
        state = self.current = OpenShot(shot, line.end)
        for pending in self.waiting_shot:
            pending.shot = state
            self.shot_scoped.append(pending)
        self.waiting_shot.clear()
        if comment is not None:
            self.comment(line, comment, standalone=False)

    def on_spec(self, line: Line) -> None:
        keyword = line.tokens[0]
        values, comment = self.split_rest(line.tokens[1:])
        if comment is not None:
            self.comment(line, comment, standalone=False)
        shape, value_span = self.shape(values, keyword)
        after_shot = bool(self.script.shots or self.script.invalid_shots)
        line_span, keyword_span = Span(line.start, line.end), Span(keyword.start, keyword.end)
        self.script.spec_lines.append(SpecLine(line_span, keyword_span, shape, value_span, after_shot))
        if shape == "one" and not after_shot and self.script.spec is None:
            raw = self.text[value_span.start : value_span.end]
            self.script.spec = SpecRef(read_value(raw), Span(keyword.start, value_span.end), value_span)

    def on_setting(self, line: Line) -> None:
        key_tok = line.tokens[1]
        values, comment = self.split_rest(line.tokens[2:])
        if comment is not None:
            self.comment(line, comment, standalone=False)
        state = self.current
        key_span = Span(key_tok.start, key_tok.end)
        shape, value_span = self.shape(values, key_tok)
        if state is None:
            self.script.stray_lines.append(StrayLine(Span(key_tok.start, value_span.end), True, True, None))
            return
        state.end = line.end
        key = self.text[key_tok.start + 1 : key_tok.end]
        if shape == "missing" and key in SETTINGS and SETTINGS[key].bare:  # ``@continue``: the value is ""
            span = Span(key_tok.start, key_tok.end)
            state.shot.settings.append(Setting(key, "", "", span, Span(key_tok.start + 1, key_tok.end), Span(span.end, span.end)))
            return
        if shape != "one" or key not in SETTINGS:
            self.script.setting_lines.append(SettingLine(key, key_span, shape, value_span))
            return
        raw = self.text[value_span.start : value_span.end]
        state.shot.settings.append(
            Setting(
                key, read_value(raw), raw, Span(key_tok.start, value_span.end), Span(key_tok.start + 1, key_tok.end), value_span
            )
        )

    def on_prompt_line(self, line: Line) -> None:
        indent = line.tokens[0]
        escaped = len(line.tokens) > 1 and line.tokens[1].kind == "ESCAPE"
        start = line.tokens[1].start + 1 if escaped else indent.end
        text = self.text[start : line.end].rstrip(" \t")
        state = self.current
        if state is None:
            self.script.stray_lines.append(StrayLine(Span(start, start + len(text)), False, True, None))
            return
        state.end = line.end
        state.shot.lines.append(PromptLine(text, start))

    def on_stray_text(self, line: Line) -> None:
        token = line.tokens[0]
        setting = self.text.startswith("@", token.start)
        state = self.current
        if state is not None:
            state.end = line.end
        shot = state.shot.name if state is not None else None
        self.script.stray_lines.append(StrayLine(Span(token.start, token.end), setting, False, shot))

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

    @staticmethod
    def shape(values: list[Tok], owner: Tok) -> tuple[ValueShape, Span]:
        """What follows a key, and the span of its value (or of what is wrong with it)."""
        if not values:
            return "missing", Span(owner.start, owner.end)
        if len(values) > 1:
            return "extra", Span(values[1].start, values[-1].end)
        value = values[0]
        return ("open" if value.kind == "OPEN_STRING" else "one"), Span(value.start, value.end)

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
        self.script.comments.append(Comment(text, span))
        if standalone and line.kind == "indented_comment" and self.current is not None:
            self.current.end = line.end
        m = _SUPPRESSION.match(text)
        if m is None:
            return
        action = m.group("action")
        scope = SUPPRESSION_ACTIONS.get(action)
        if scope is None:
            self.unread("action", action, Span(tok.start + m.start("action"), tok.start + m.end("action")))
            return
        codes = self.suppression_codes(text, tok.start, m.start("rest"))
        if codes is None:
            return
        suppressions = self.script.suppressions
        if scope == "file":
            suppressions.append(Suppression(codes, "file", 0, len(self.text), span))
        elif scope == "line":
            if standalone:
                self.waiting_line.append(_Pending(codes, span))
            else:
                suppressions.append(Suppression(codes, "line", line.start, line.end, span))
        elif standalone and line.kind == "comment":
            self.waiting_shot.append(_Pending(codes, span))
        elif self.current is None:
            self.unread("outside-shot", "", span)
        else:
            self.shot_scoped.append(_Pending(codes, span, self.current))

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
                self.unread("rule", word, Span(start, start + len(word)))
        if named and not codes:
            return None
        return frozenset(codes)


def _codes_of(word: str) -> set[str]:
    """The rule codes a word of a suppression names: a code, a rule name or a prefix (``HL6xx``)."""
    upper = word.upper()
    if upper in BY_CODE:
        return {upper}
    if word in BY_NAME:
        return {BY_NAME[word].code}
    prefix = upper.rstrip("X")
    if prefix.startswith("HL") and len(prefix) > 2:
        return {code for code in BY_CODE if code.startswith(prefix)}
    return set()

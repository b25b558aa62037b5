"""A ``.shot`` script cut into pieces that each parse alone exactly as they parse in the whole file,
so a language server can parse only the pieces an edit touched, and the whole script's tree put
back together from the pieces' trees.

The pieces: the text before the first shot, then one piece per shot. A shot's piece starts at the
column-0 comments and blank lines just above its header (so a ``# hailuo: ignore-shot`` or
``# hailuo: ignore`` written there meets its header in the same piece) and ends where the next
one starts. What still crosses a cut is listed by :func:`cut`'s checks: a suppression comment
that waits for a line or a shot beyond its piece; then the script is not cut.

The parser records facts and the syntax rules (HL7xx) judge them; some judge the whole script
(HL701: no shot at all, HL704: a name used twice, HL709: a message naming another line). So the
pieces' trees are moved to file offsets (:func:`moved`) and joined (:func:`joined`), and the rules
judge the joined tree, which is the tree ``parse_script`` makes of the whole text.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from pathlib import Path

from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix
from hailuo_dsl.prompt.syntax import Span
from hailuo_dsl.shots.parser import judged
from hailuo_dsl.shots.syntax import (
    Comment,
    PromptLine,
    Script,
    Setting,
    SettingLine,
    Shot,
    SpecLine,
    SpecRef,
    Suppression,
    UnreadSuppression,
)

_WAITING = re.compile(r"^(?P<indent>[ \t]*)#[ \t]*hailuo[ \t]*:[ \t]*(?P<action>ignore-shot|ignore)(?=[ \t]|\r?$)", re.MULTILINE)
"""A standalone suppression comment that waits: for the next line (``ignore``) or shot (``ignore-shot``);
its action read as the parser reads it (``_SUPPRESSION``: the word after ``hailuo:``)."""
_CONTENT_LINE = re.compile(r"^[ \t]*[^ \t\r\n#]", re.MULTILINE)
"""A line that is neither blank nor a comment."""
_AFTER_HEADER = frozenset(" \t\r\n")
"""What follows ``shot`` at column 0 on a header line, as the scanner tells one (a blank or the
line's end; a CR is always the start of a CRLF in a text that is cut)."""


def cut(text: str) -> list[int] | None:
    """The offsets where the pieces start (the first is 0, the text before the first shot); None
    when the script has no shot, when a suppression comment waits across a cut, or when a line
    ends in a lone CR (the cut reads lines as ending in LF; such a file is parsed whole). Runs on
    every edit of a long script, so it looks for its few marks with ``str.find``."""
    if text.count("\r") != text.count("\r\n"):
        return None
    headers = _headers(text)
    if not headers:
        return None
    starts = [0]
    for header in headers:
        starts.append(_above(text, header, starts[-1]))
    if _waits_across(text, starts, headers):
        return None
    return starts


def _headers(text: str) -> list[int]:
    """The offsets of the header lines: ``shot`` at column 0, then a blank or the line's end."""
    found = []
    newline = -1  # the line break before the line looked at (-1: the text's first line)
    while True:
        start = newline + 1
        end = start + 4
        if text.startswith("shot", start) and (end == len(text) or text[end] in _AFTER_HEADER):
            found.append(start)
        newline = text.find("\nshot", start)
        if newline < 0:
            return found


def _above(text: str, header: int, floor: int) -> int:
    """The start of the column-0 comments and blank lines just above the header at ``header``."""
    start = header
    while start > floor:
        prev = text.rfind("\n", floor, start - 1) + 1
        if prev < floor:
            prev = floor
        line = text[prev : start - 1]
        if line.strip(" \t\r") and not line.startswith("#"):
            break
        start = prev
    return start


def _waits_across(text: str, starts: list[int], headers: list[int]) -> bool:
    """Whether a standalone suppression comment waits beyond the end of its piece: an
    ``ignore-shot`` at column 0 after its piece's header, or in the text before the first shot's
    piece (it waits for the next header), or an ``ignore`` with no line of its piece after it (it
    waits for the next line)."""
    last = len(starts) - 1
    for found in _waiting(text):
        line_start = found.start()
        piece = bisect_right(starts, line_start) - 1
        if piece == last:
            continue  # nothing after the last piece to wait for
        if found.group("action") == "ignore-shot":
            if not found.group("indent") and (piece == 0 or line_start > headers[piece - 1]):
                return True
        elif _CONTENT_LINE.search(text, found.end(), starts[piece + 1]) is None:
            return True
    return False


def _waiting(text: str) -> Iterator[re.Match[str]]:
    """The standalone suppression comments that wait (:data:`_WAITING`), line by line."""
    at = text.find("hailuo")
    while at >= 0:
        found = _WAITING.match(text, text.rfind("\n", 0, at) + 1)
        if found is not None:
            yield found
        line_end = text.find("\n", at)
        if line_end < 0:
            return
        at = text.find("hailuo", line_end)


def shifted(d: Diagnostic, offset: int) -> Diagnostic:
    """A finding of a piece moved to file offsets (one located in another file stays)."""
    if offset == 0 or d.path is not None:
        return d
    fix = d.fix
    if fix is not None:
        fix = Fix(fix.description, tuple(Edit(e.start + offset, e.end + offset, e.text) for e in fix.edits), fix.safe)
    return dataclasses.replace(d, start=d.start + offset, end=d.end + offset, fix=fix)


# -- the whole tree from the pieces' trees -------------------------------------------------------


def moved(piece: Script, offset: int) -> Script:
    """The tree of a piece parsed alone, moved to where the piece starts in the file (``offset``);
    without its findings, which :func:`joined` makes again for the whole. A file-wide suppression
    keeps the piece's extent until :func:`joined` gives it the file's."""

    def at(span: Span) -> Span:
        return Span(span.start + offset, span.end + offset)

    def shot(s: Shot) -> Shot:
        settings = [Setting(t.key, t.value, t.raw, at(t.span), at(t.key_span), at(t.value_span)) for t in s.settings]
        lines = [PromptLine(line.text, line.start + offset) for line in s.lines]
        offsets = [o + offset for o in s.prompt_offsets]
        return Shot(s.name, at(s.name_span), at(s.span), settings, lines, s.prompt, offsets)

    spec = piece.spec
    return Script(
        piece.text,
        piece.path,
        None if spec is None else SpecRef(spec.value, at(spec.span), at(spec.value_span)),
        [shot(s) for s in piece.shots],
        [Comment(c.text, at(c.span)) for c in piece.comments],
        [Suppression(s.codes, s.scope, s.start + offset, s.end + offset, at(s.span)) for s in piece.suppressions],
        [],
        [shot(s) for s in piece.invalid_shots],
        [dataclasses.replace(line, span=at(line.span)) for line in piece.stray_lines],
        [SettingLine(line.key, at(line.key_span), line.shape, at(line.value_span)) for line in piece.setting_lines],
        [
            SpecLine(at(line.span), at(line.keyword), line.shape, at(line.value_span), line.after_shot)
            for line in piece.spec_lines
        ],
        [UnreadSuppression(u.trouble, u.word, at(u.span)) for u in piece.unread_suppressions],
    )


def joined(text: str, path: Path | None, pieces: Sequence[Script]) -> Script:
    """The tree of the whole ``text`` from the trees of its pieces (:func:`cut`), in order and
    moved to file offsets, with the findings the syntax rules make of the whole: what
    ``parse_script(text, path)`` gives, but for the order of the suppressions."""
    whole = Script(text, path, pieces[0].spec, [], [], [])
    for piece in pieces:
        whole.shots.extend(piece.shots)
        whole.comments.extend(piece.comments)
        whole.suppressions.extend(
            Suppression(s.codes, "file", 0, len(text), s.span) if s.scope == "file" else s for s in piece.suppressions
        )
        whole.invalid_shots.extend(piece.invalid_shots)
        whole.stray_lines.extend(piece.stray_lines)
        whole.setting_lines.extend(piece.setting_lines)
        whole.spec_lines.extend(piece.spec_lines)
        whole.unread_suppressions.extend(piece.unread_suppressions)
    return judged(whole)

"""A ``.shot`` script cut into pieces that each parse alone exactly as they parse in the whole file,
so a language server can parse and lint only the pieces an edit touched; and the per-shot steps of
``lint_script`` as functions of one shot (its prompt findings, its compile findings) and of the
whole (the spec's ``[shots.NAME]`` tables), built from the linter's and the compiler's own parts.

The pieces: the text before the first shot, then one piece per shot. A shot's piece starts at the
column-0 comments and blank lines just above its header (so a ``# hailuo: ignore-shot`` or
``# hailuo: ignore`` written there meets its header in the same piece) and ends where the next
one starts. What still crosses a cut is listed by :func:`cut`'s checks: a suppression comment
that waits for a line or a shot beyond its piece; then the script is not cut. Duplicate shot
names and the spec's ``[shots.NAME]`` tables are rules across shots: the caller checks them over
all pieces (:func:`duplicate_names`).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix
from hailuo_dsl.prompt.linter import lint
from hailuo_dsl.shots.compiler import _PROMPT_CODES, _Compiler, _unknown_spec_shots
from hailuo_dsl.shots.findings import sorted_findings
from hailuo_dsl.shots.lint import _prompt_diagnostics, _resolved
from hailuo_dsl.shots.parser import parse_script
from hailuo_dsl.shots.spec import ShotSpec
from hailuo_dsl.shots.syntax import Script, Shot

_HEADER = re.compile(r"^shot(?=[ \t]|\r?$)", re.MULTILINE)
"""A header line, as the scanner tells one: ``shot`` at column 0, then a blank or the line's end."""
_WAITING = re.compile(r"^(?P<indent>[ \t]*)#[ \t]*hailuo[ \t]*:[ \t]*(?P<action>ignore-shot|ignore)(?=[ \t]|\r?$)", re.MULTILINE)
"""A standalone suppression comment that waits: for the next line (``ignore``) or shot (``ignore-shot``);
its action read as the parser reads it (``_SUPPRESSION``: the word after ``hailuo:``)."""
_CONTENT_LINE = re.compile(r"^[ \t]*[^ \t\r\n#]", re.MULTILINE)
"""A line that is neither blank nor a comment."""
_LINE_IN_MESSAGE = re.compile(r"(\bon line )(\d+)")
DUPLICATE_NAME = "HL704"
EMPTY_SCRIPT = "HL701"


def cut(text: str) -> list[int] | None:
    """The offsets where the pieces start (the first is 0, the text before the first shot); None
    when the script has no shot, or when a suppression comment waits across a cut."""
    headers = [m.start() for m in _HEADER.finditer(text)]
    if not headers:
        return None
    starts = [0]
    for header in headers:
        starts.append(_above(text, header, starts[-1]))
    if _waits_across(text, starts, headers):
        return None
    return starts


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
    for found in _WAITING.finditer(text):
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


def shifted(d: Diagnostic, offset: int, lines: int = 0) -> Diagnostic:
    """A finding of a piece moved to file offsets (one located in another file stays). ``lines``
    is the piece's first line in the file: the parser's messages that name a line of the text it
    parsed (``already set on line 3``) are given the file's line."""
    if offset == 0 or d.path is not None:
        return d
    fix = d.fix
    if fix is not None:
        fix = Fix(fix.description, tuple(Edit(e.start + offset, e.end + offset, e.text) for e in fix.edits), fix.safe)
    message = d.message
    if lines:
        message = _LINE_IN_MESSAGE.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + lines}", message)
    return dataclasses.replace(d, start=d.start + offset, end=d.end + offset, fix=fix, message=message)


def duplicate_names(text: str, headers: list[int]) -> list[Diagnostic]:
    """HL704 for the shots of a cut script, as the whole parse reports them: the header lines
    parsed on their own, every other line left empty so line numbers stay."""
    lines: list[str] = []
    where: list[int] = []
    line = 0
    previous = 0
    for header in headers:
        line += text.count("\n", previous, header)
        previous = header
        end = text.find("\n", header)
        lines.extend([""] * (line - len(lines)))
        lines.append(text[header : len(text) if end < 0 else end])
        where.append(header)
    only = "\n".join(lines)
    found = []
    for d in parse_script(only).diagnostics:
        if d.code == DUPLICATE_NAME:
            line_start = only.rfind("\n", 0, d.start) + 1
            index = only.count("\n", 0, d.start)
            offset = where[headers_by_line(lines, index)] - line_start
            found.append(shifted(d, offset))
    return found


def headers_by_line(lines: list[str], index: int) -> int:
    """Which header (0-based) stands on line ``index`` of the header-only text."""
    return sum(1 for line in lines[:index] if line)


# -- one shot's findings, as lint_script and compile_checks find them ----------------------------


def prompt_findings(script: Script, shot: Shot, spec: ShotSpec | None, config: LintConfig) -> list[Diagnostic]:
    """One shot's prompt linted as a prompt (its duration and mode resolved as the compiler
    resolves them), the findings moved to file offsets; before the configuration and the
    suppressions apply. ``config`` is the script's effective configuration."""
    duration, has_first_frame = _resolved(shot, spec, config)
    return _prompt_diagnostics(script, shot, lint(shot.prompt, config, duration=duration, require_text=not has_first_frame))


def shot_checks(script: Script, shot: Shot, spec: ShotSpec | None) -> list[Diagnostic]:
    """The compile findings of one shot against a spec already loaded (and free of findings), as
    ``compile_checks`` reports them for that shot; the spec may be one the editor has not saved."""
    compiler = _Compiler(script, spec, {}, False, None, False)
    try:
        _compiled, found = compiler.compile(shot)
    finally:
        compiler.frames.close()
    return sorted_findings(d for d in found if d.code not in _PROMPT_CODES)


def spec_table_findings(script: Script, spec: ShotSpec) -> list[Diagnostic]:
    """HL616 for each ``[shots.NAME]`` table of the spec that names no shot of the script."""
    return _unknown_spec_shots(script, spec)

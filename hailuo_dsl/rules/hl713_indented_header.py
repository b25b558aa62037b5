"""HL713 indented-header."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.rules._script import line_bounds
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext

_HEADER_LIKE = re.compile(r"shot[ \t]+[A-Za-z0-9][A-Za-z0-9_.-]*")


@rule(
    "HL713",
    "indented-header",
    Severity.WARNING,
    "A prompt line that looks like an indented shot header",
    scope=Scope.SCRIPT,
    fixable=True,
)
def indented_header(ctx: ScriptContext) -> Iterator[Finding]:
    """An indented ``shot NAME`` line is prompt text of the shot above (only column 0 starts a
    shot), so the two shots' prompts would silently run together. If a new shot is meant, the
    (unsafe) fix moves the header to column 0; if it is prose, silence the rule on that line with
    ``# hailuo: ignore HL713``.

    Bad:

        shot a
          A cat.
          shot b
          A dog.

    Good:

        shot a
          A cat.
        shot b
          A dog.
    """
    text = ctx.script.text
    for shot in ctx.every_shot:
        for line in shot.lines:
            if _HEADER_LIKE.fullmatch(line.text):  # an escaped line (\@, \#) never starts with "shot"
                start = line.start
                fix = Fix("Move the header to column 0", (Edit(line_bounds(text, start)[0], start, ""),), safe=False)
                message = f"'{line.text}' is indented, so it is prompt text of shot '{shot.name}', not a new shot"
                yield Finding(start, start + len(line.text), message, fix)

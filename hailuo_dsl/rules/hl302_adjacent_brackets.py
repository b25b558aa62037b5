"""HL302 adjacent-brackets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Context, Finding, rule

# Only spaces and tabs: brackets separated by these are adjacent.
_BLANK = re.compile(r"[ \t]*")


@rule("HL302", "adjacent-brackets", Severity.WARNING, "Two brackets with nothing between them")
def adjacent_brackets(ctx: Context) -> Iterator[Finding]:
    """``[Push in][Pan right]`` is ambiguous: at the same time, or one after the other? Write
    ``[Push in, Pan right]`` for both at once, or put the action between them for a sequence.

    Bad:  ``A train arrives [Push in][Pan right].``
    Good: ``A train arrives [Push in], then the doors open [Pan right].``
    """
    text = ctx.prompt.text
    for previous, bracket in pairwise(ctx.prompt.brackets):
        if not (previous.closed and bracket.closed):
            continue
        gap = _BLANK.match(text, previous.span.end)
        if gap is not None and gap.end() >= bracket.span.start:
            yield Finding(
                previous.span.start,
                bracket.span.end,
                "Adjacent brackets: write one bracket for simultaneous moves, or the action between them for a sequence",
            )

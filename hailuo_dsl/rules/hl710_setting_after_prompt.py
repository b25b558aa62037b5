"""HL710 setting-after-prompt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.rules._script import line_bounds
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext

if TYPE_CHECKING:
    from hailuo_dsl.shots.syntax import PromptLine, Setting


@rule(
    "HL710",
    "setting-after-prompt",
    Severity.WARNING,
    "A setting among or after the prompt lines",
    scope=Scope.SCRIPT,
    fixable=True,
)
def setting_after_prompt(ctx: ScriptContext) -> Iterator[Finding]:
    r"""A setting applies to the whole shot wherever it stands, but one written after the prompt has
    begun reads as if it applied only to the text after it. Put the settings first, directly
    under the header; the fix moves the line there. (To start a prompt line with a literal ``@``,
    write ``\@``.)

    Bad:

        shot opening
          A boat drifts.
          @duration 10

    Good:

        shot opening
          @duration 10
          A boat drifts.
    """
    text = ctx.script.text
    for shot in ctx.every_shot:
        if not shot.lines:
            continue
        first = shot.lines[0]
        for setting in shot.settings:
            if setting.span.start > first.start:
                message = f"@{setting.key} comes after the prompt has begun; it applies to the whole shot, so put it first"
                yield Finding(*setting.span, message, _move_up(text, setting, first))


def _move_up(text: str, setting: Setting, first: PromptLine) -> Fix | None:
    """The fix that moves a setting's line (with its trailing comment) above the prompt."""
    start, end = line_bounds(text, setting.span.start)
    newline = "\r\n" if text.startswith("\r\n", end) else "\n"
    if not text.startswith(newline, end):
        return None
    target = text.rfind("\n", 0, first.start) + 1
    return Fix(
        "Move the setting above the prompt",
        (Edit(target, target, text[start:end] + newline), Edit(start, end + len(newline), "")),
    )

"""HL502 empty-prompt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hailuo_dsl.contract import needs_prompt
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Context, Finding, Scope, rule

if TYPE_CHECKING:  # a prompt rule: linting a prompt loads no script context
    from hailuo_dsl.rules.contexts import ShotContext


def in_a_shot(ctx: ShotContext) -> Iterator[Finding]:
    """A script's shot: its mode follows its resolved frames; the finding stands at its header
    unless a setting is to blame."""
    from hailuo_dsl.rules.contexts import finding_at

    if needs_prompt(ctx.mode) and not ctx.shot.prompt.strip() and ctx.resolved.valid("first_frame"):
        yield finding_at(ctx.resolved.at([]), "text-to-video needs a prompt; write one or add @first_frame")


@rule(
    "HL502",
    "empty-prompt",
    Severity.ERROR,
    "No prompt text where the mode needs it",
    enforced=True,
    also={Scope.SHOT: in_a_shot},
)
def empty_prompt(ctx: Context) -> Iterator[Finding]:
    """Text-to-video needs a prompt; the API rejects an empty one. (With a first frame, the
    prompt is optional and this rule is quiet.)
    """
    if ctx.options.require_text and not ctx.prompt.text.strip():
        yield Finding(0, len(ctx.prompt.text), "Empty prompt: text-to-video needs a description")

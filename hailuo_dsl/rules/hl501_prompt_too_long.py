"""HL501 prompt-too-long."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hailuo_dsl.contract import MAX_PROMPT_CHARS
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Context, Finding, Scope, rule

if TYPE_CHECKING:  # a prompt rule: linting a prompt loads no script context
    from hailuo_dsl.rules.contexts import ShotContext


def in_a_shot(ctx: ShotContext) -> Iterator[Finding]:
    """A script's shot: its prompt joined from its lines, the part past the limit in the file."""
    shot = ctx.shot
    size = len(shot.prompt)
    if size > MAX_PROMPT_CHARS:
        message = f"the prompt is {size} characters after joining its lines; the API takes at most {MAX_PROMPT_CHARS}"
        yield Finding(shot.file_offset(MAX_PROMPT_CHARS), shot.file_offset(size), message)


@rule(
    "HL501",
    "prompt-too-long",
    Severity.ERROR,
    "The prompt is over 2000 characters",
    enforced=True,
    also={Scope.SHOT: in_a_shot},
)
def prompt_too_long(ctx: Context) -> Iterator[Finding]:
    """The API rejects prompts longer than 2000 characters (Unicode code points), after the
    upload of any frames. The finding marks the part past the limit.
    """
    size = len(ctx.prompt.text)
    if size > MAX_PROMPT_CHARS:
        yield Finding(MAX_PROMPT_CHARS, size, f"Prompt is {size} characters; the API takes at most {MAX_PROMPT_CHARS}")

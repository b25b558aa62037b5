"""HL502 empty-prompt."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL502", "empty-prompt", Severity.ERROR, "No prompt text where the mode needs it")
def empty_prompt(ctx: Context) -> Iterator[Finding]:
    """Text-to-video needs a prompt; the API rejects an empty one. (With a first frame, the
    prompt is optional and this rule is quiet.)
    """
    if ctx.options.require_text and not ctx.prompt.text.strip():
        yield Finding(0, len(ctx.prompt.text), "Empty prompt: text-to-video needs a description")

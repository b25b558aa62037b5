"""HL501 prompt-too-long."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.contract import MAX_PROMPT_CHARS
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL501", "prompt-too-long", Severity.ERROR, "The prompt is over 2000 characters")
def prompt_too_long(ctx: Context) -> Iterator[Finding]:
    """The API rejects prompts longer than 2000 characters (Unicode code points), after the
    upload of any frames. The finding marks the part past the limit.
    """
    size = len(ctx.prompt.text)
    if size > MAX_PROMPT_CHARS:
        yield Finding(MAX_PROMPT_CHARS, size, f"Prompt is {size} characters; the API takes at most {MAX_PROMPT_CHARS}")

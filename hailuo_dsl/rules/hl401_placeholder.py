"""HL401 placeholder."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.rules.base import Context, Finding, rule

_BRACES = re.compile(r"\{\{?\s*[A-Za-z_][\w .\-]*\s*\}?\}|<[A-Z][A-Z0-9_]+>")


@rule("HL401", "placeholder", Severity.ERROR, "An unfilled template placeholder")
def placeholder(ctx: Context) -> Iterator[Finding]:
    """Prompt templates mark the parts to fill in with ``[SUBJECT_DESCRIPTION]``,
    ``[CAMERA_COMMAND]`` or ``{topic}``. Left unfilled, the model reads the placeholder as words
    and may even draw them.

    Bad:  ``[SUBJECT_DESCRIPTION] walks through the rain [CAMERA_COMMAND].``
    Good: ``A woman in a red coat walks through the rain [Tracking shot].``
    """
    for _bracket, _index, item, _verdict in ctx.of_kind(ItemKind.PLACEHOLDER):
        yield Finding(item.span.start, item.span.end, f"Unfilled placeholder [{item.name}]")
    if "{" not in ctx.prompt.text and "<" not in ctx.prompt.text:
        return
    for text in ctx.prompt.texts:
        if "{" not in text.value and "<" not in text.value:
            continue
        for m in _BRACES.finditer(text.value):
            start = text.span.start + m.start()
            yield Finding(start, start + len(m.group()), f"Unfilled placeholder {m.group()}")

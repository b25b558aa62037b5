"""HL402 label-bracket."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL402", "label-bracket", Severity.WARNING, "A label in brackets, not a camera move")
def label_bracket(ctx: Context) -> Iterator[Finding]:
    """Scripts often mark parts with ``[Shot 1]``, ``[Camera]`` or ``[Scene 2: beach]``. The model
    has no such labels; it reads them as text. In a ``.shot`` file, name the shot instead.

    Bad:  ``[Shot 1] A surfer paddles out [Tracking shot].``
    Good: ``A surfer paddles out [Tracking shot].``
    """
    for _bracket, _index, item, _verdict in ctx.of_kind(ItemKind.LABEL):
        yield Finding(item.span.start, item.span.end, f"[{item.name}] is a label, not a camera move; the model reads it as text")

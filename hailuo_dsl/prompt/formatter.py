"""``format_prompt``: canonical directive spelling and bracket spacing, nothing else.

Only brackets made entirely of recognised directives are touched: ``[ pan left ,Pedestal Up ]``
becomes ``[Pan left, Pedestal up]``; Chinese names are joined as the Chinese documentation joins
them, ``[左摇,上升]``; a name keeps the language it was written in. Prose, unknown brackets and broken syntax stay byte for byte
as written, so formatting can never change what a prompt says.
"""

from __future__ import annotations

from hailuo_dsl.diagnostics import Edit, apply_edits
from hailuo_dsl.prompt.classify import ItemKind, classify
from hailuo_dsl.prompt.directives import join_items
from hailuo_dsl.prompt.parser import parse_prompt
from hailuo_dsl.prompt.syntax import Bracket, Prompt


def format_edits(prompt: Prompt) -> list[Edit]:
    """The edits that format ``prompt`` (empty when it is already formatted)."""
    edits = []
    text = prompt.text
    for bracket in prompt.brackets:
        canonical = _canonical(bracket)
        if canonical is not None and text[bracket.span.start : bracket.span.end] != canonical:
            edits.append(Edit(bracket.span.start, bracket.span.end, canonical))
    return edits


def format_prompt(text: str) -> str:
    """Format one prompt."""
    return apply_edits(text, format_edits(parse_prompt(text)))


def _canonical(bracket: Bracket) -> str | None:
    if not bracket.closed or not bracket.slots:
        return None
    names = []
    for slot in bracket.slots:
        if slot is None:
            return None
        verdict = classify(slot.name)
        if verdict.kind not in (ItemKind.CANONICAL, ItemKind.SPELLING) or verdict.directive is None:
            return None
        names.append(verdict.directive)
    return "[" + join_items(names) + "]"

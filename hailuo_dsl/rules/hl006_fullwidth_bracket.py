"""HL006 fullwidth-bracket."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.prompt.classify import ItemKind, classify
from hailuo_dsl.rules.base import Context, Finding, rule

# A pair of full-width brackets on one line (prose to the grammar, so never holding "[" or "]").
_WIDE_PAIR = re.compile(r"[【［]([^【】［］\r\n]{1,80})[】］]")
_SEPARATORS = re.compile(r"[,，、]")
_WIDE_COMMAS = re.compile(r"[，、]")
_DIRECTIVE_KINDS = (ItemKind.CANONICAL, ItemKind.SPELLING)


@rule("HL006", "fullwidth-bracket", Severity.ERROR, "A directive in full-width brackets 【】", fixable=True)
def fullwidth_bracket(ctx: Context) -> Iterator[Finding]:
    """Directives go in ASCII square brackets. A Chinese keyboard types ``【】`` (or ``［］``)
    for them; the model reads those as text, and the move is lost. Only full-width brackets that
    hold nothing but directives are reported (``【注意】`` in prose is left alone). The fix writes
    ``[`` and ``]``, and ``,`` for a full-width comma inside (HL007).

    Bad:  ``一只猫在窗台上睡觉【推进】。``
    Good: ``一只猫在窗台上睡觉[推进]。``
    Bad:  ``A cat sleeps on the sill 【Push in】.``
    Good: ``A cat sleeps on the sill [Push in].``
    """
    text = ctx.prompt.text
    if "【" not in text and "［" not in text:
        return
    for piece in ctx.prompt.texts:
        if "【" not in piece.value and "［" not in piece.value:
            continue
        for m in _WIDE_PAIR.finditer(piece.value):
            inner = m.group(1)
            parts = _SEPARATORS.split(inner)
            # Only spaces and tabs around the names: the grammar's brackets take no other blank.
            if not all(p.strip() and p.strip(" \t") == p.strip() for p in parts):
                continue
            if not all(classify(p.strip()).kind in _DIRECTIVE_KINDS for p in parts):
                continue
            start, end = piece.span.start + m.start(), piece.span.start + m.end()
            written = "[" + _WIDE_COMMAS.sub(",", inner) + "]"
            yield Finding(
                start,
                end,
                f"{m.group()} is in full-width brackets, which the model reads as text; write {written}",
                Fix(f"Write {written}", (Edit(start, end, written),)),
            )

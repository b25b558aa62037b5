"""Hover: what a directive does and what it combines with; what a ``.shot`` setting allows and the
value that will be sent once precedence is applied (from the compiler's ``CompiledShot``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hailuo_dsl.config import LintConfig
from hailuo_dsl.documents import DocumentKind
from hailuo_dsl.lsp import shot_support
from hailuo_dsl.prompt.classify import GUESS, ItemKind, classify
from hailuo_dsl.prompt.directives import BY_NAME, DIRECTIVES, DOLLY_ZOOMS, MAX_PER_BRACKET, STATIC, Directive
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots.settings import SETTINGS

_SETTING_LINE = re.compile(r"^([ \t]+)@([^ \t]+)")
"""A setting line and its key, all of it up to a blank (as the parser reads a key)."""
_SHOT_HEADER = re.compile(r"^shot[ \t]+(\S+)")


def hover_text(
    text: str, index: LineIndex, offset: int, kind: DocumentKind, config: LintConfig, path: Path | None
) -> tuple[str, int, int] | None:
    """Markdown for what lies at ``offset``, and the span it describes; None when nothing does."""
    line = index.line_of(offset)
    start = index.line_starts[line]
    line_text = index.line_text(line)
    column = offset - start
    if kind is DocumentKind.SHOT:
        if (m := _SETTING_LINE.match(line_text)) is not None and column >= len(m.group(1)):
            span = (start + len(m.group(1)), start + len(line_text))
            return setting_markdown(text, m.group(2), offset, config, path), *span
        if (m := _SHOT_HEADER.match(line_text)) is not None:
            return shot_markdown(text, offset, config, path), start, start + len(line_text)
    found = _item_at(line_text, column)
    if found is None:
        return None
    item, item_start, item_end = found
    return directive_markdown(item), start + item_start, start + item_end


def _item_at(line: str, column: int) -> tuple[str, int, int] | None:
    """The bracket item around ``column`` of ``line``, stripped, with its columns."""
    open_at = line.rfind("[", 0, column + 1)
    if open_at < 0 or "]" in line[open_at:column]:
        return None
    close = line.find("]", open_at + 1)
    next_open = line.find("[", open_at + 1)
    end = min(c for c in (close, next_open, len(line)) if c >= 0)
    if column > end:
        return None
    pos = open_at + 1
    for part in line[open_at + 1 : end].split(","):
        part_end = pos + len(part)
        if pos <= column <= part_end or column == open_at:
            stripped = part.strip()
            if not stripped:
                return None
            lead = len(part) - len(part.lstrip())
            return stripped, pos + lead, pos + lead + len(stripped)
        pos = part_end + 1
    return None


def directive_markdown(item: str) -> str:
    """What a bracket item means to the model: a directive's move and combinations, or why it is
    not one and what to write instead."""
    verdict = classify(item)
    if verdict.kind in (ItemKind.CANONICAL, ItemKind.SPELLING) and verdict.directive in BY_NAME:
        text = _describe(BY_NAME[verdict.directive])
        if verdict.kind is ItemKind.SPELLING:  # the spelling in the language it was written in
            text = f"Write it exactly `{verdict.directive}`.\n\n{text}"
        return text
    lines = [f"`{item}` is not a Hailuo-02 camera directive: {_WHY[verdict.kind]} The model reads it as plain text."]
    if verdict.hint:
        lines.append(verdict.hint[:1].upper() + verdict.hint[1:] + ".")
    if verdict.directive and verdict.note != GUESS:
        lines.append(f"Write `[{verdict.directive}]` instead.")
    elif verdict.suggestions:  # no single answer (an orbit goes either way): the candidates
        lines.append("Closest: " + ", ".join(f"`[{s}]`" for s in verdict.suggestions) + ".")
    return "\n\n".join(lines)


_WHY = {
    ItemKind.TYPO: "a misspelling of one.",
    ItemKind.TRUNCATED: "the start of one, cut short.",
    ItemKind.CATEGORY: "a category, not a move.",
    ItemKind.FILM_TERM: "film vocabulary the model does not know.",
    ItemKind.ADVERB: "a directive with a word added; put the adverb in the prose.",
    ItemKind.THEN: "a sequence inside one bracket; write one bracket per step.",
    ItemKind.PLACEHOLDER: "an unfilled template slot.",
    ItemKind.LABEL: "a label, not a move.",
    ItemKind.UNKNOWN: "no directive is close to it.",
    ItemKind.CANONICAL: "",
    ItemKind.SPELLING: "",
}


def _describe(d: Directive) -> str:
    head = f"**{d.name}** · {d.chinese} — {d.category}\n\n{d.description}"
    if d.name == STATIC:
        combine = "Stands alone: any move in the same bracket contradicts it."
    else:
        others = [o.name for o in DIRECTIVES if o.axis is not None and o.axis == d.axis and o.name != d.name]
        avoid = [f"`{n}` (same axis, opposite direction)" for n in others] + [f"`{STATIC}`"]
        combine = (
            f"Combines with up to {MAX_PER_BRACKET - 1} other moves in one bracket, done together "
            f"(`[{d.name}, {_partner(d)}]`). Not with " + " or ".join(avoid) + "."
        )
        for pair in DOLLY_ZOOMS:
            if d.name in pair:
                (other,) = pair - {d.name}
                combine += f"\n\nWith `{other}` it makes a dolly zoom: the subject keeps its size while the background stretches."
    return f"{head}\n\n{combine}\n\nFor moves one after another, use separate brackets in the prose."


def _partner(d: Directive) -> str:
    return next(o.name for o in DIRECTIVES if o.axis not in (None, d.axis) and o.name != STATIC)


def _value(value: object) -> str:
    try:
        return f"`{json.dumps(value, ensure_ascii=False)}`"
    except (TypeError, ValueError):
        return f"`{value}`"


def setting_markdown(text: str, key: str, offset: int, config: LintConfig, path: Path | None) -> str:
    """A setting's meaning, allowed values and the value the shot will send."""
    info = SETTINGS.get(key)
    if info is None:
        known = ", ".join(f"`{n}`" for n in SETTINGS)
        return f"`@{key}` is not a setting. Known settings: {known}."
    lines = [f"**@{key}** → `{info.api_field}`", str(info.description)]
    if info.allowed:
        lines.append("Allowed: " + ", ".join(f"`{v}`" for v in info.allowed))
    if info.default is not None:
        lines.append(f"API default: {_value(info.default)}")
    resolved = shot_support.resolved_settings(text, offset, config, path)
    if resolved is None:
        lines.append("Sent value: unknown until the shot compiles without errors.")
    elif key in resolved[0]:
        lines.append(f"Sent value: {_value(resolved[0][key])} (from {resolved[1].get(key, 'unknown')})")
    else:
        lines.append("Sent value: none (the request leaves it out).")
    return "\n\n".join(lines)


def shot_markdown(text: str, offset: int, config: LintConfig, path: Path | None) -> str:
    """Every setting the shot will send, with where each value comes from."""
    resolved = shot_support.resolved_settings(text, offset, config, path)
    if resolved is None:
        return "The shot does not compile yet: see its diagnostics."
    values, sources = resolved
    rows = [f"| `{k}` | {_value(v)} | {sources.get(k, '')} |" for k, v in values.items()]
    return "\n".join(["| setting | sent | from |", "|---|---|---|", *rows])

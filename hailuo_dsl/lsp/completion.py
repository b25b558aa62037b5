"""Completion: directive names inside a bracket, and ``@setting`` names and values in ``.shot`` files.

Completion reads only the current line up to the cursor, so it answers instantly whatever state
the rest of the document is in (an unfinished bracket is the usual case while typing).
"""

from __future__ import annotations

import re

from lsprotocol import types

from hailuo_dsl.documents import DocumentKind
from hailuo_dsl.lsp.convert import position
from hailuo_dsl.prompt.directives import DIRECTIVES
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots.settings import SETTINGS

TRIGGER_CHARACTERS = ["[", ",", "@", " "]

_SETTING_KEY = re.compile(r"^[ \t]+@([A-Za-z_]*)$")
_SETTING_VALUE = re.compile(r"^[ \t]+@([A-Za-z_]+)[ \t]+(\"?[^\"\s]*)$")


def complete(text: str, index: LineIndex, offset: int, kind: DocumentKind) -> list[types.CompletionItem]:
    """The completion items at ``offset`` of ``text`` (a prompt file or a ``.shot`` script)."""
    line = index.line_of(offset)
    start = index.line_starts[line]
    before = text[start:offset]
    if kind is DocumentKind.SHOT:
        if before.lstrip(" \t").startswith("#") or (before[:1] not in (" ", "\t") and "[" not in before):
            return []
        if (m := _SETTING_KEY.match(before)) is not None:
            return _setting_names(index, offset - len(m.group(1)), offset)
        if (m := _SETTING_VALUE.match(before)) is not None:
            return _setting_values(m.group(1), index, offset - len(m.group(2)), offset)
        if before.lstrip(" \t").startswith("@"):
            return []  # the rest of a setting's line is its value (or a comment), not a prompt
    return _directives(before, index, offset)


def _directives(before: str, index: LineIndex, offset: int) -> list[types.CompletionItem]:
    open_at = before.rfind("[")
    if open_at < 0 or "]" in before[open_at:]:
        return []
    inside = before[open_at + 1 :]
    item = inside[inside.rfind(",") + 1 :]
    typed = item.lstrip(" \t")
    needs_space = inside.rfind(",") >= 0 and item == typed
    edit_range = types.Range(start=position(index, offset - len(typed)), end=position(index, offset))
    return [
        types.CompletionItem(
            label=d.name,
            kind=types.CompletionItemKind.EnumMember,
            detail=d.category,
            documentation=d.description,
            filter_text=d.name,
            sort_text=f"{i:02d}",
            text_edit=types.TextEdit(range=edit_range, new_text=(" " if needs_space else "") + d.name),
        )
        for i, d in enumerate(DIRECTIVES)
    ]


def _setting_names(index: LineIndex, start: int, offset: int) -> list[types.CompletionItem]:
    edit_range = types.Range(start=position(index, start), end=position(index, offset))
    return [
        types.CompletionItem(
            label=name,
            kind=types.CompletionItemKind.Property,
            detail=f"{info.kind} → {info.api_field}",
            documentation=info.description,
            text_edit=types.TextEdit(range=edit_range, new_text=name + " "),
        )
        for name, info in SETTINGS.items()
    ]


def _setting_values(key: str, index: LineIndex, start: int, offset: int) -> list[types.CompletionItem]:
    """The allowed values of a setting (true/false for a switch); none for a free one."""
    info = SETTINGS.get(key)
    edit_range = types.Range(start=position(index, start), end=position(index, offset))
    return [
        types.CompletionItem(
            label=value,
            kind=types.CompletionItemKind.Value,
            detail=f"@{key}",
            text_edit=types.TextEdit(range=edit_range, new_text=value),
        )
        for value in (info.allowed if info is not None and info.allowed is not None else ())
    ]

"""Completion: directive names inside a bracket, and ``@setting`` names and values in ``.shot`` files.

Completion reads only the current line up to the cursor, so it answers instantly whatever state
the rest of the document is in (an unfinished bracket is the usual case while typing).

The items are built to insert whole in every editor, not only in those that apply a ``textEdit``:

- no ``textEdit``: the editor replaces the *word* before the cursor (letters, digits and ``_``;
  Neovim's ``\\k``, VS Code's ``wordPattern``, Emacs' symbol at point) with ``insertText``. Neovim's
  built-in completion inserts only a plain-text ``textEdit``'s text up to its first space, and
  applies a whole ``textEdit`` only for snippets; ``insertText`` it inserts whole;
- ``insertText`` is therefore what completes the item *from the start of that word*: after
  ``[Pa`` it is ``Pan left``, after ``[Pan l`` it is ``left``; after ``@res`` it is ``resolution ``
  (with the space, so the value can follow);
- the server filters and sorts: only the names the typed text begins (any case; the exact case
  first) are offered, because Neovim shows the server's list as given; a directive is offered by
  its English and its Chinese name (``[Pa`` offers ``Pan left``, ``[左`` offers ``左移`` and ``左摇``);
  after a comma, only the names that may join the bracket (not the same directive again, not its
  opposite, no move beside a static shot, no fourth item: each would be an error);
- ``filterText`` is the typed word followed by the rest of the name, so a client's own prefix
  match (Neovim's ``startswith``, Emacs' ``string-prefix-p``) keeps each item the server offers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lsprotocol import types

from hailuo_dsl.documents import DocumentKind
from hailuo_dsl.lsp.capabilities import COMPLETION_TRIGGERS
from hailuo_dsl.prompt.directives import BY_NAME, DIRECTIVES, MAX_PER_BRACKET, STATIC, Directive, is_chinese, join_items
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots.settings import SETTINGS

TRIGGER_CHARACTERS = COMPLETION_TRIGGERS

_SETTING_KEY = re.compile(r"^[ \t]+@([A-Za-z_]*)$")
_SETTING_VALUE = re.compile(r"^[ \t]+@([A-Za-z_]+)[ \t]+\"?([^\"\s]*)$")
_ITEM_SEPARATOR = re.compile("[,，、]")
"""What separates the items of a bracket as people type them (the full-width ones are a finding
of their own, HL007, but the next item is still a name being typed)."""
_WORD_TAIL = re.compile(r"\w*$")
"""The word an editor replaces when an item has no ``textEdit``: the word characters before the cursor."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One thing that may be completed: the text it completes to and how it is shown."""

    text: str
    label: str
    kind: types.CompletionItemKind
    detail: str | None = None
    documentation: str | None = None


def complete(text: str, index: LineIndex, offset: int, kind: DocumentKind) -> list[types.CompletionItem]:
    """The completion items at ``offset`` of ``text`` (a prompt file or a ``.shot`` script)."""
    line = index.line_of(offset)
    start = index.line_starts[line]
    before = text[start:offset]
    after = text[offset : start + len(index.line_text(line))]
    if kind is DocumentKind.SHOT:
        if before.lstrip(" \t").startswith("#") or (before[:1] not in (" ", "\t") and "[" not in before):
            return []
        if (m := _SETTING_KEY.match(before)) is not None:
            space = "" if after[:1] in (" ", "\t") else " "
            return offer(_setting_candidates(space), m.group(1))
        if (m := _SETTING_VALUE.match(before)) is not None:
            return offer(_value_candidates(m.group(1)), m.group(2))
        if before.lstrip(" \t").startswith("@"):
            return []  # the rest of a setting's line is its value (or a comment), not a prompt
    return _directives(before)


def offer(candidates: Iterable[Candidate], typed: str, lead: Callable[[str], str] | None = None) -> list[types.CompletionItem]:
    """The items for what the user has ``typed`` of one name: those it begins (any case; exact case
    sorts first), each inserting the rest from the start of the word being typed, after what
    ``lead`` gives for the candidate's text (nothing when None)."""
    word_start = len(typed) - len(_WORD_TAIL.search(typed).group())  # type: ignore[union-attr]
    word = typed[word_start:]
    items = []
    for i, c in enumerate(candidates):
        if not c.text.lower().startswith(typed.lower()):
            continue
        rest = c.text[word_start:]
        items.append(
            types.CompletionItem(
                label=c.label,
                kind=c.kind,
                detail=c.detail,
                documentation=c.documentation,
                insert_text=(lead(c.text) if lead is not None else "") + rest,
                insert_text_format=types.InsertTextFormat.PlainText,
                filter_text=word + c.text[len(typed) :],
                sort_text=f"{0 if c.text.startswith(typed) else 1}{i:03d}",
            )
        )
    return items


def _directives(before: str) -> list[types.CompletionItem]:
    open_at = before.rfind("[")
    if open_at < 0 or "]" in before[open_at:]:
        return []
    inside = before[open_at + 1 :]
    items = _ITEM_SEPARATOR.split(inside)
    typed = items[-1].lstrip(" \t")
    previous = items[-2].strip(" \t") if len(items) > 1 else ""
    # The language of the bracket's previous name, else of the prose just before it, comes first.
    candidates = _directive_candidates(chinese_first=is_chinese(previous or before[:open_at].rstrip()[-1:]))
    present = [BY_NAME[name] for name in (item.strip(" \t") for item in items[:-1]) if name in BY_NAME]
    candidates = [c for c in candidates if _fits(BY_NAME[c.text], present, len(items) - 1)]
    if not inside.endswith(","):
        return offer(candidates, typed)
    # Right after a comma: the space each documentation's style puts there, as the formatter joins
    # names (`[Pan left, Truck left`, `[左摇,上升`).
    return offer(candidates, typed, lambda name: join_items((previous, name))[len(previous) + 1 : -len(name)])


def _fits(directive: Directive, present: list[Directive], before: int) -> bool:
    """Whether ``directive`` may join a bracket that already holds ``before`` items, ``present``
    among them known directives: not a fourth item, not one already there (by either name), not
    the opposite of one on its axis, and no move beside a static shot (the errors HL201-HL204)."""
    if before >= MAX_PER_BRACKET:
        return False
    for other in present:
        if other is directive or (directive.axis is not None and directive.axis == other.axis):
            return False
        if STATIC in (directive.name, other.name):
            return False
    return True


def _directive_candidates(*, chinese_first: bool) -> list[Candidate]:
    """Both canonical names of every directive (contract §6): the English ones and the Chinese
    ones, each Chinese item naming its English twin (``左摇``: ``Pan left · Pan``)."""
    kind = types.CompletionItemKind.EnumMember
    english = [Candidate(d.name, d.name, kind, d.category, d.description) for d in DIRECTIVES]
    chinese = [Candidate(d.chinese, d.chinese, kind, f"{d.name} · {d.category}", d.description) for d in DIRECTIVES]
    return chinese + english if chinese_first else english + chinese


def _setting_candidates(space: str) -> list[Candidate]:
    return [
        Candidate(name + space, name, types.CompletionItemKind.Property, f"{info.kind} → {info.api_field}", info.description)
        for name, info in SETTINGS.items()
    ]


def _value_candidates(key: str) -> list[Candidate]:
    """The allowed values of a setting (true/false for a switch); none for a free one."""
    info = SETTINGS.get(key)
    allowed = info.allowed if info is not None and info.allowed is not None else ()
    return [Candidate(value, value, types.CompletionItemKind.Value, f"@{key}") for value in allowed]

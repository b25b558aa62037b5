"""How real editors turn the server's completion items into text, written down from their sources so
the tests can hold the server to them without the editors installed.

Each function takes the line, the cursor column (code points) and the items, and returns
``{label: new line}`` for every item the editor would show and let you accept.

- Neovim 0.7-0.10 ``vim.lsp.omnifunc``: the start is the ``textEdit`` start when items carry one,
  else the keyword (``\\k*``) before the cursor; the inserted *word* is a plain ``textEdit``'s whole
  ``newText``, else ``insertText``, else the label (a snippet is inserted as its parsed text and not
  expanded); an item is kept when its word begins with the typed prefix (case-sensitive).
- Neovim 0.11+ ``vim.lsp.completion`` (and its omnifunc): the same start; the word is a plain
  ``textEdit``'s ``newText`` *up to its first space*, else ``insertText``, else the label; a whole
  ``textEdit`` is applied only for snippets; an item is kept when its ``filterText`` (else label)
  begins with the prefix, when that prefix holds a letter or digit.
- VS Code: a ``textEdit`` replaces its range; otherwise ``insertText`` (else the label) replaces the
  word before the cursor (the language's ``wordPattern``); items are matched by ``filterText`` (else
  label) against that word, ignoring case.
- Emacs eglot with ``completion-at-point``: the symbol before point is replaced by the candidate,
  which is ``insertText`` (else the label); a ``textEdit`` is applied after; a candidate is kept
  when its ``filterText`` (else itself) begins with the symbol, case-sensitive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types

Editor = Callable[[str, int, Sequence[types.CompletionItem]], dict[str, str]]

_KEYWORD_TAIL = re.compile(r"[\w\u00c0-\u00ff]*$")
"""Vim's ``\\k*$`` with the default ``iskeyword`` (``@,48-57,_,192-255``; wide characters count)."""
_VSCODE_CONFIG = Path(__file__).resolve().parents[2] / "editors" / "vscode" / "language-configuration.json"
_VSCODE_WORD = re.compile(json.loads(_VSCODE_CONFIG.read_text(encoding="utf-8"))["wordPattern"].removesuffix("+") + "*$")
"""The ``wordPattern`` of ``editors/vscode/language-configuration.json``, up to the cursor."""
_EMACS_SYMBOL = re.compile(r"[\w_]*$")
"""Word and symbol constituents of Emacs' standard syntax table (``@``, ``[`` and ``,`` are not)."""


def _is_snippet(item: types.CompletionItem) -> bool:
    return item.insert_text_format == types.InsertTextFormat.Snippet


def _edit(item: types.CompletionItem) -> types.TextEdit | None:
    edit = item.text_edit
    if edit is None:
        return None
    if isinstance(edit, types.InsertReplaceEdit):
        return types.TextEdit(range=edit.insert, new_text=edit.new_text)
    return edit


def _neovim_start(line: str, cursor: int, items: Sequence[types.CompletionItem]) -> int:
    starts = [e.range.start.character for i in items if (e := _edit(i)) is not None]
    if starts:
        return min(starts)  # adjust_start_col (ASCII lines in these tests: units = code points)
    match = _KEYWORD_TAIL.search(line[:cursor])
    assert match is not None
    return match.start()


def neovim_07(line: str, cursor: int, items: Sequence[types.CompletionItem]) -> dict[str, str]:
    start = _neovim_start(line, cursor, items)
    prefix = line[start:cursor]
    out = {}
    for item in items:
        edit = _edit(item)
        if _is_snippet(item):
            continue  # parsed, never expanded: not what these items are for
        word = edit.new_text if edit is not None and edit.new_text else (item.insert_text or item.label)
        if word.startswith(prefix):
            out[item.label] = line[:start] + word + line[cursor:]
    return out


def neovim_011(line: str, cursor: int, items: Sequence[types.CompletionItem]) -> dict[str, str]:
    start = _neovim_start(line, cursor, items)
    prefix = line[start:cursor]
    out = {}
    for item in items:
        if _is_snippet(item):
            continue
        if re.search(r"[A-Za-z0-9]", prefix) and not (item.filter_text or item.label).startswith(prefix):
            continue
        edit = _edit(item)
        if edit is not None:
            word = re.match(r"\S*", edit.new_text).group()  # type: ignore[union-attr]
        else:
            word = item.insert_text or item.label
        out[item.label] = line[:start] + word + line[cursor:]
    return out


def vscode(line: str, cursor: int, items: Sequence[types.CompletionItem]) -> dict[str, str]:
    match = _VSCODE_WORD.search(line[:cursor])
    assert match is not None
    word_start = match.start()
    typed = line[word_start:cursor].lower()
    out = {}
    for item in items:
        edit = _edit(item)
        if edit is not None:
            start, end, text = edit.range.start.character, edit.range.end.character, edit.new_text
            typed_here = line[start:cursor].lower()
        else:
            start, end, text = word_start, cursor, item.insert_text or item.label
            typed_here = typed
        if (item.filter_text or item.label).lower().startswith(typed_here.lstrip()):
            out[item.label] = line[:start] + text + line[end:]
    return out


def eglot(line: str, cursor: int, items: Sequence[types.CompletionItem]) -> dict[str, str]:
    match = _EMACS_SYMBOL.search(line[:cursor])
    assert match is not None
    start = match.start()
    probe = line[start:cursor]
    out = {}
    for item in items:
        proxy = item.insert_text if item.insert_text and not _is_snippet(item) else item.label.lstrip()
        if not (item.filter_text or proxy).startswith(probe):
            continue
        new = line[:start] + proxy + line[cursor:]
        edit = _edit(item)
        if edit is not None:
            new = line[: edit.range.start.character] + edit.new_text + line[edit.range.end.character :]
        out[item.label] = new
    return out


EDITORS: dict[str, Editor] = {
    "neovim-0.7": neovim_07,
    "neovim-0.11": neovim_011,
    "vscode": vscode,
    "eglot": eglot,
}

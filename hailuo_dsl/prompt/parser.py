"""``parse_prompt``: prompt text to a syntax tree with exact spans. Never raises on user text.

The grammar (``grammar/prompt.lark``) is the definition of the language. It is total, so every
string parses; mistakes such as an unclosed ``[`` or a stray ``]`` become nodes the linter reports.

Two engines build the same tree:

- ``parse_prompt_lalr`` runs Lark's LALR(1) parser with the contextual lexer on the grammar. It is
  the reference.
- ``parse_prompt`` (what the linter, formatter and language server use) is a scanner that walks
  the grammar's own terminals (their regular expressions are read from the grammar file, not
  copied) through the grammar's three states: prose, inside a bracket, after a bracket item.
  The language is flat (brackets do not nest), so this walk is exact. Two shortcuts keep it
  quick: a run of prose ends at the next bracket, found with ``str.find``; and the common bracket
  (closed, one to three items) is read in one match of a pattern composed from the same
  terminals. It is about ten times faster than Lark's general LALR driver, which spends ~4 us per
  token in Python. A property test checks that both engines give identical trees on arbitrary text.

Brackets inside brackets are recognised after either parse, because a context-free grammar of
flat brackets cannot see them without giving up totality.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from hailuo_dsl.prompt.grammar import lalr_parser, terminal_patterns
from hailuo_dsl.prompt.syntax import Bracket, Item, Nested, Piece, Prompt, Span, StrayClose, Text

if TYPE_CHECKING:
    from lark import Token, Tree


@cache
def _terminals() -> dict[str, re.Pattern[str]]:
    """The prompt grammar's terminals, compiled from the grammar file (through the terminal cache,
    so that linting needs no Lark)."""
    return {name: re.compile(pattern) for name, pattern in terminal_patterns("prompt").items()}


# Prose (TEXT) is every character but the brackets, so a run of prose ends at the next bracket,
# which ``str.find`` locates many times faster than a regular expression walks a character class.
_TEXT = r"[^\[\]]+"


@cache
def _simple_bracket() -> re.Pattern[str]:
    """The common bracket in one match: closed, one to three items, no empty slot. Composed from
    the grammar's own terminals as ``OPEN NAME (COMMA NAME (COMMA NAME)?)? CLOSE``, each item and
    separator a group. The tokens of such a bracket split only one way (a NAME starts and ends
    with a character that OPEN, COMMA and CLOSE cannot take), so a match gives the tokens the
    step-by-step walk gives."""
    terms = terminal_patterns("prompt")
    if terms["TEXT"] != _TEXT:
        raise RuntimeError(f"prompt.lark: TEXT is {terms['TEXT']}, the parser expects {_TEXT}")
    name, comma = f"({terms['NAME']})", f"({terms['COMMA']})"
    return re.compile(f"(?:{terms['OPEN']}){name}(?:{comma}{name}(?:{comma}{name})?)?(?:{terms['CLOSE']})")


# ``Span(a, b)`` goes through the named tuple's Python-level ``__new__``; building the tuple
# directly is twice as fast, and a prompt has a few dozen spans.
_new_tuple = tuple.__new__


def parse_prompt(text: str) -> Prompt:
    """Parse ``text`` into a :class:`Prompt`; any string gives a tree."""
    terms = _terminals()
    match_simple, match_open = _simple_bracket().match, terms["OPEN"].match
    match_close, match_comma, match_name = terms["CLOSE"].match, terms["COMMA"].match, terms["NAME"].match
    find = text.find
    pieces: list[Piece] = []
    pos, size = 0, len(text)
    next_open = next_close = -1
    stray = False
    while pos < size:
        char = text[pos]
        if char == "]":
            pieces.append(StrayClose(Span(pos, pos + 1)))
            stray = True
            pos += 1
            continue
        if char != "[":
            if next_open < pos:
                next_open = find("[", pos)
                if next_open < 0:
                    next_open = size
            if next_close < pos:
                next_close = find("]", pos)
                if next_close < 0:
                    next_close = size
            end = next_open if next_open < next_close else next_close
            pieces.append(Text(_new_tuple(Span, (pos, end)), text[pos:end]))
            pos = end
            continue
        simple = match_simple(text, pos)
        if simple is not None:
            pieces.append(_simple(simple))
            pos = simple.end()
            continue
        opened = match_open(text, pos)
        assert opened is not None
        start, pos = pos, opened.end()
        end = pos
        slots: list[Item | None] = []
        separators: list[Span] = []
        slot: Item | None = None
        closed = False
        while pos < size:
            char = text[pos]
            if char == "]" or char in " \t":
                m = match_close(text, pos)
                if m is not None:
                    pos = end = m.end()
                    closed = True
                    break
            if char == "," or char in " \t":
                m = match_comma(text, pos)
                if m is not None:
                    slots.append(slot)
                    slot = None
                    separators.append(Span(pos, m.end()))
                    pos = end = m.end()
                    continue
            m = match_name(text, pos) if slot is None else None
            if m is None:
                break
            slot = Item(Span(pos, m.end()), m.group())
            pos = end = m.end()
        slots.append(slot)
        pieces.append(Bracket(Span(start, end), tuple(slots), tuple(separators), closed))
    return Prompt(text, _merge_nested(text, pieces) if stray else pieces)


def _simple(m: re.Match[str]) -> Bracket:
    """The bracket of a :func:`_simple_bracket` match."""
    items = [Item(_new_tuple(Span, m.span(1)), m.group(1))]
    separators: list[Span] = []
    for group in (2, 4):
        separator = m.span(group)
        if separator[0] < 0:
            break
        separators.append(_new_tuple(Span, separator))
        items.append(Item(_new_tuple(Span, m.span(group + 1)), m.group(group + 1)))
    return Bracket(_new_tuple(Span, m.span()), tuple(items), tuple(separators), True)


def parse_prompt_lalr(text: str) -> Prompt:
    """Parse ``text`` with Lark's LALR(1) parser on the grammar: the reference engine."""
    from lark import Token, Tree

    tree = lalr_parser("prompt").parse(text)
    pieces: list[Piece] = []
    for node in tree.children:
        assert isinstance(node, Tree)
        kind = node.data
        if kind == "text":
            tok = node.children[0]
            assert isinstance(tok, Token)
            pieces.append(Text(Span(tok.start_pos or 0, tok.end_pos or 0), str(tok)))
        elif kind == "stray":
            tok = node.children[0]
            assert isinstance(tok, Token)
            pieces.append(StrayClose(Span(tok.start_pos or 0, tok.end_pos or 0)))
        else:
            pieces.append(_bracket(node.children, closed=kind == "bracket"))
    return Prompt(text, _merge_nested(text, pieces))


def _bracket(children: Sequence[Tree[Token] | Token | None], closed: bool) -> Bracket:
    from lark import Token, Tree

    slots: list[Item | None] = []
    separators: list[Span] = []
    start = end = 0
    for child in children:
        if child is None:
            slots.append(None)
        elif isinstance(child, Tree):
            tok = child.children[0]
            assert isinstance(tok, Token)
            end = tok.end_pos or 0
            slots.append(Item(Span(tok.start_pos or 0, end), str(tok)))
        else:
            if child.type == "OPEN":
                start = child.start_pos or 0
            elif child.type == "COMMA":
                separators.append(Span(child.start_pos or 0, child.end_pos or 0))
            end = child.end_pos or 0
    return Bracket(Span(start, end), tuple(slots), tuple(separators), closed)


def _merge_nested(text: str, pieces: list[Piece]) -> list[Piece]:
    """Fold ``[a [b] c]`` (unclosed, ..., stray ``]`` on one line) into one :class:`Nested`."""
    if not any(isinstance(p, StrayClose) for p in pieces):
        return pieces
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        end = _nested_end(text, pieces, i) if isinstance(piece, Bracket) and not piece.closed else None
        if end is None:
            out.append(piece)
            i += 1
        else:
            out.append(Nested(Span(piece.span.start, pieces[end].span.end)))
            i = end + 1
    return out


def _nested_end(text: str, pieces: list[Piece], first: int) -> int | None:
    """Index of the ``]`` that closes the unclosed bracket at ``first``, if it is on the same line."""
    if pieces[first].span.end >= len(text) or text[pieces[first].span.end] in "\r\n":
        return None
    depth = 0
    for j in range(first, len(pieces)):
        piece = pieces[j]
        if isinstance(piece, Text) and ("\n" in piece.value or "\r" in piece.value):
            return None
        if isinstance(piece, Bracket) and not piece.closed:
            depth += 1
        elif isinstance(piece, StrayClose):
            depth -= 1
            if depth == 0:
                return j
    return None

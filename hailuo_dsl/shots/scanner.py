"""The line scanner of ``.shot`` scripts: each line's kind and tokens, as ``grammar/shot.lark`` defines them.

The grammar is total, so every text scans. Two engines produce the same classified lines:

- ``scan_lines`` walks the lines with the grammar's own terminals (their regular expressions are
  read from the grammar, not copied), in the order the grammar's contextual lexer tries them. A
  line's kind is decided by its first characters, so this walk is exact and fast.
- ``lark_lines`` runs Lark's LALR(1) parser with the contextual lexer: the reference, which a
  property test holds the scanner to on generated and arbitrary text.

The assembler (``hailuo_dsl.shots.parser``) builds the tree from these lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from hailuo_dsl.prompt.grammar import lalr_parser, terminal_patterns

if TYPE_CHECKING:
    from lark import Token, Tree

_REST_ORDER = ("COMMENT", "STRING", "OPEN_STRING", "WORD", "INDENT")
"""The terminals of a line's rest in the grammar's priority order (the contextual lexer's order)."""


class Tok(NamedTuple):
    """A token of a line: its terminal's name and its code-point span in the file."""

    kind: str
    start: int
    end: int


class Line(NamedTuple):
    """A non-blank line: its kind (a rule of the grammar), its 0-based number and its tokens.

    Kinds: ``header``, ``spec``, ``comment`` and ``stray_text`` (column 0); ``setting``,
    ``indented_comment`` and ``prompt_line`` (indented). A prompt line's tokens are its
    indentation, an optional ``ESCAPE`` (``\\@``, ``\\#``) and one ``TEXT`` for the rest."""

    kind: str
    number: int
    tokens: tuple[Tok, ...]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        """The end of the line's content (line break excluded)."""
        return self.tokens[-1].end


# ----------------------------------------------------------------------------------------------
# The two engines


_Match = Callable[[str, int, int], "re.Match[str] | None"]
"""A compiled terminal's ``match`` method."""


@cache
def _terminals() -> dict[str, re.Pattern[str]]:
    """The script grammar's terminals, compiled (through the terminal cache: no Lark needed)."""
    return {name: re.compile(pattern) for name, pattern in terminal_patterns("shot").items()}


def scan_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, classified and tokenised as the grammar does."""
    terms = _terminals()
    m_indent, m_comment, m_key = terms["INDENT"].match, terms["COMMENT"].match, terms["KEY"].match
    m_stray = terms["STRAY"].match
    rest = _rest_pattern().match
    out: list[Line] = []
    size = len(text)
    pos = 0
    number = 0
    while pos < size:
        nl = text.find("\n", pos)
        line_end = size if nl < 0 else nl
        end = line_end - 1 if line_end > pos and text[line_end - 1] == "\r" else line_end
        tokens: list[Tok] = []
        kind = ""
        first = text[pos] if pos < end else ""
        if first in (" ", "\t"):
            m = m_indent(text, pos, end)
            assert m is not None
            i = m.end()
            if i < end:
                tokens.append(Tok("INDENT", pos, i))
                char = text[i]
                if char == "@":
                    key = m_key(text, i, end)
                    assert key is not None
                    tokens.append(Tok("KEY", i, key.end()))
                    _rest(text, key.end(), end, rest, tokens)
                    kind = "setting"
                elif char == "#":
                    _comment(text, i, end, m_comment, m_indent, tokens)
                    kind = "indented_comment"
                else:
                    if char == "\\" and i + 1 < end and text[i + 1] in "@#":
                        tokens.append(Tok("ESCAPE", i, i + 2))
                        i += 2
                    if i < end:
                        tokens.append(Tok("TEXT", i, end))
                    kind = "prompt_line"
        elif first == "#":
            _comment(text, pos, end, m_comment, m_indent, tokens)
            kind = "comment"
        elif first:
            word = text[pos : pos + 4]
            if word in ("shot", "spec") and (pos + 4 == end or text[pos + 4] in " \t"):
                tokens.append(Tok(word.upper(), pos, pos + 4))
                _rest(text, pos + 4, end, rest, tokens)
                kind = "header" if word == "shot" else "spec"
            else:
                m = m_stray(text, pos, end)
                assert m is not None
                tokens.append(Tok("STRAY", pos, m.end()))
                if m.end() < end:
                    tokens.append(Tok("INDENT", m.end(), end))
                kind = "stray_text"
        if kind:
            out.append(Line(kind, number, tuple(tokens)))
        number += 1
        pos = line_end + 1
    return out


def _comment(text: str, pos: int, end: int, m_comment: _Match, m_indent: _Match, tokens: list[Tok]) -> None:
    m = m_comment(text, pos, end)
    assert m is not None
    tokens.append(Tok("COMMENT", pos, m.end()))
    if m.end() < end:
        tokens.append(Tok("INDENT", m.end(), end))


@cache
def _rest_pattern() -> re.Pattern[str]:
    """One alternation of the rest-of-line terminals in priority order: like the contextual
    lexer, it takes the first terminal that matches, not the longest."""
    terms = _terminals()
    return re.compile("|".join(f"(?P<{name}>{terms[name].pattern})" for name in _REST_ORDER))


def _rest(text: str, pos: int, end: int, match: _Match, tokens: list[Tok]) -> None:
    """Tokens of the rest of a header, spec or setting line."""
    while pos < end:
        m = match(text, pos, end)
        assert m is not None and m.lastgroup is not None  # the terminals cover every character
        tokens.append(Tok(m.lastgroup, pos, m.end()))
        pos = m.end()


def lark_lines(text: str) -> list[Line]:
    """The same lines as :func:`scan_lines`, from Lark's LALR(1) parse of the grammar."""
    from lark import Tree

    source = text if text == "" or text.endswith("\n") else text + "\n"
    tree = lalr_parser("shot").parse(source)
    out: list[Line] = []
    for node in tree.children:
        assert isinstance(node, Tree)
        if node.data == "shot":
            for child in node.children:
                assert isinstance(child, Tree)
                _add_lark_line(child, out)
        else:
            _add_lark_line(node, out)
    return out


def _add_lark_line(node: Tree[Token], out: list[Line]) -> None:
    kind = str(node.data)
    if kind == "blank":
        return
    from lark import Token

    tokens = list(node.scan_values(lambda v: isinstance(v, Token)))
    if kind == "prompt_line":
        head = 2 if len(tokens) > 1 and tokens[1].type == "ESCAPE" else 1
        toks = [Tok(t.type, t.start_pos or 0, t.end_pos or 0) for t in tokens[:head]]
        body = tokens[head:]
        if body:
            toks.append(Tok("TEXT", body[0].start_pos or 0, body[-1].end_pos or 0))
    else:
        toks = [Tok(t.type, t.start_pos or 0, t.end_pos or 0) for t in tokens]
    out.append(Line(kind, (tokens[0].line or 1) - 1, tuple(toks)))


def read_value(raw: str) -> str:
    """The value a written token means: a quoted string's escapes ``\\"`` and ``\\\\`` read
    (any other backslash stays), a bare word as it is."""
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
        return re.sub(r'\\(["\\])', r"\1", raw[1:-1])
    return raw


def write_value(value: str) -> str:
    """``value`` as the formatter writes it: bare when it reads back the same, else quoted."""
    if value and not any(c in value for c in " \t\r\n") and value[0] not in '"#':
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

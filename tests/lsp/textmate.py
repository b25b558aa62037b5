"""A small TextMate tokenizer over Python ``re``: enough of the format (match, begin/end, captures,
includes from the repository) to check what the editor grammars colour, without an editor."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Rule = dict[str, Any]


@dataclass(frozen=True)
class Token:
    text: str
    scopes: tuple[str, ...]
    line: int
    start: int


def _resolve(grammar: dict[str, Any], patterns: list[Rule]) -> list[Rule]:
    out: list[Rule] = []
    for p in patterns:
        if "include" in p:
            out.extend(_resolve(grammar, [grammar["repository"][p["include"].removeprefix("#")]]))
        elif "patterns" in p and "match" not in p and "begin" not in p:
            out.extend(_resolve(grammar, p["patterns"]))
        else:
            out.append(p)
    return out


def _scoped(
    m: re.Match[str], base: tuple[str, ...], name: str | None, captures: dict[str, Any]
) -> list[tuple[int, tuple[str, ...]]]:
    """The scopes of each character of a match: the rule's name, then each capture covering it."""
    scopes = []
    for i in range(m.start(), m.end()):
        s = [*base, *([name] if name else [])]
        for group, capture in sorted(captures.items(), key=lambda kv: int(kv[0])):
            g = int(group)
            if m.start(g) != -1 and m.start(g) <= i < m.end(g) and "name" in capture:
                s.append(capture["name"])
        scopes.append((i, tuple(s)))
    return scopes


def tokenize(grammar: dict[str, Any], text: str) -> list[Token]:
    """Tokens of ``text``, line by line as editors do (each line ends with its newline)."""
    compiled: dict[str, re.Pattern[str]] = {}

    def rx(source: str) -> re.Pattern[str]:
        if source not in compiled:
            compiled[source] = re.compile(source)
        return compiled[source]

    top = _resolve(grammar, grammar["patterns"])
    stack: list[tuple[Rule, tuple[str, ...]]] = []  # open begin/end regions and their scopes
    chars: list[tuple[int, int, tuple[str, ...]]] = []
    for number, line in enumerate(text.split("\n")):
        line += "\n"
        pos = 0
        while pos < len(line):
            rules = _resolve(grammar, stack[-1][0].get("patterns", [])) if stack else top
            base = stack[-1][1] if stack else (grammar["scopeName"],)
            best: tuple[int, int, re.Match[str], Rule | None] | None = None
            if stack:
                end = rx(stack[-1][0]["end"]).search(line, pos)
                if end is not None:
                    best = (end.start(), -1, end, None)
            for order, rule in enumerate(rules):
                m = rx(rule.get("match") or rule["begin"]).search(line, pos)
                if m is not None and (best is None or (m.start(), order) < best[:2]):
                    best = (m.start(), order, m, rule)
            if best is None:
                chars.extend((number, i, base) for i in range(pos, len(line)))
                break
            start, _, m, rule = best
            chars.extend((number, i, base) for i in range(pos, start))
            if rule is None:  # the region ends
                region = stack.pop()[0]
                chars.extend((number, i, s) for i, s in _scoped(m, base, None, region.get("endCaptures", {})))
            elif "match" in rule:
                chars.extend((number, i, s) for i, s in _scoped(m, base, rule.get("name"), rule.get("captures", {})))
            else:
                inner = (*base, rule["name"]) if "name" in rule else base
                chars.extend((number, i, s) for i, s in _scoped(m, inner, None, rule.get("beginCaptures", {})))
                stack.append((rule, inner))
            if m.end() == pos and rule is not None and "match" in rule:
                chars.append((number, pos, base))
                pos += 1
            else:
                pos = m.end()
    tokens: list[Token] = []
    lines = text.split("\n")
    for number, i, scopes in chars:
        if i >= len(lines[number]):
            continue
        ch = lines[number][i]
        last = tokens[-1] if tokens else None
        if last is not None and last.line == number and last.scopes == scopes and last.start + len(last.text) == i:
            tokens[-1] = Token(last.text + ch, scopes, number, last.start)
        else:
            tokens.append(Token(ch, scopes, number, i))
    return tokens

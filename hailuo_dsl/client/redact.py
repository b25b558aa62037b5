"""The API key: checked before any request, and kept out of everything the client passes on.

Redaction happens in one place, where text enters from outside: each answer is redacted when it
has been read (its text, its parsed JSON, its URL), and each httpx failure when it is turned into
an error, always before anything is cut short, so no prefix of the key survives a truncation.
Every error, task, journal record and output is built from that redacted text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, quote_plus

from hailuo_dsl.client.errors import AuthenticationError
from hailuo_dsl.contract import API_KEY_ENV
from hailuo_dsl.textfile import printable

REDACTED = "<api-key>"


_BLANKS = {"\n": "a line break", "\r": "a line break", "\t": "a tab"}
"""Blanks a key pasted from elsewhere may carry, named as a user sees them."""


def checked_key(key: str | None, *, from_environment: bool) -> str:
    """The key stripped of surrounding blanks; ``AuthenticationError`` when it is missing or holds a
    character an HTTP header cannot carry (only printable ASCII without spaces). The message
    never shows the key."""
    where = f"the {API_KEY_ENV} environment variable" if from_environment else "api_key="
    if not key or not key.strip():
        raise AuthenticationError(f"No API key: pass api_key= or set the {API_KEY_ENV} environment variable.")
    key = key.strip()
    for position, char in enumerate(key, 1):
        if not "!" <= char <= "~":
            kind = _BLANKS.get(char) or (
                "a space" if char.isspace() else "a control character" if ord(char) < 0x20 else "a character that is not ASCII"
            )
            raise AuthenticationError(
                f"The API key in {where} has {kind} at position {position}; an API key holds only printable ASCII "
                "(copy it again from the account)."
            )
    return key


SHORT_KEY = 8
"""A key shorter than this is redacted only where it stands alone (see :class:`Redactor`)."""

_TOKEN_CHARS = r"A-Za-z0-9_.~\-"  # the characters task ids, file ids and URL words are made of


class Redactor:
    """Replaces the key, in every form it may be quoted in, by ``<api-key>``.

    A real key is long, and found wherever it occurs. A short one (a test key such as ``x``) would
    also be found inside task ids and words, and redacting there would lose the id of a paid task;
    so a key under :data:`SHORT_KEY` characters is redacted only where no letter, digit, ``_``,
    ``.``, ``~`` or ``-`` touches it (as it stands in a header, a query or a JSON string).
    """

    def __init__(self, key: str) -> None:
        forms = {key, json.dumps(key)[1:-1], repr(key)[1:-1], repr(key.encode())[2:-1], quote(key, safe=""), quote_plus(key)}
        self.forms = sorted((form for form in forms if form), key=len, reverse=True)
        self._alone = (
            re.compile("|".join(f"(?<![{_TOKEN_CHARS}]){re.escape(form)}(?![{_TOKEN_CHARS}])" for form in self.forms))
            if len(key) < SHORT_KEY
            else None
        )

    def text(self, text: str) -> str:
        if self._alone is not None:
            return self._alone.sub(REDACTED, text)
        for form in self.forms:
            if form in text:
                text = text.replace(form, REDACTED)
        return text

    def tree(self, data: Any) -> tuple[Any, bool]:
        """Parsed JSON with the key redacted from every string (keys too), and whether any was."""
        return map_strings(data, self.text)


def terminal_safe(text: str) -> str:
    """The server's words as a terminal may show them: line breaks and tabs as spaces, every other
    control character (an escape sequence, a carriage return, a bidirectional override) as a
    visible symbol, so an answer can neither drive the terminal nor forge lines of output."""
    return printable(text.translate(_AS_SPACE))


_AS_SPACE = dict.fromkeys(map(ord, "\t\n\r\v\f\x85\u2028\u2029"), " ")


def map_strings(data: Any, clean: Callable[[str], str]) -> tuple[Any, bool]:
    """Parsed JSON with ``clean`` applied to every string (keys too), and whether any changed.

    Iterative: a hostile answer may nest as deep as the JSON parser allows."""
    if isinstance(data, str):
        cleaned = clean(data)
        return cleaned, cleaned != data
    changed = False
    stack = [data]
    while stack:
        node = stack.pop()
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
        for key, value in items:
            if isinstance(value, (dict, list)):
                stack.append(value)
            elif isinstance(value, str) and (cleaned := clean(value)) != value:
                node[key], changed = cleaned, True
            if isinstance(key, str) and (clean_key := clean(key)) != key:
                node[clean_key] = node.pop(key)
                changed = True
    return data, changed

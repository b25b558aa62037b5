"""Documents: the files the front ends (CLI, language server) lint, fix and format.

A prompt file (``.prompt``, ``.txt``, or standard input) holds one prompt; its final line break is
not part of the prompt. A ``.shot`` file is a script of many shots (see ``hailuo_dsl.shots``).
Every front end goes through these functions, so they all see the same diagnostics.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.prompt.fixes import FixResult, fix_text
from hailuo_dsl.prompt.formatter import format_prompt
from hailuo_dsl.prompt.linter import lint

PROMPT_SUFFIXES = (".prompt", ".txt")
SHOT_SUFFIXES = (".shot",)


class Kind(str, enum.Enum):
    PROMPT = "prompt"
    SHOT = "shot"


def kind_of(path: Path | str | None) -> Kind:
    """A ``.shot`` file is a script; anything else is read as one prompt."""
    return Kind.SHOT if path is not None and str(path).endswith(SHOT_SUFFIXES) else Kind.PROMPT


@dataclass(frozen=True, slots=True)
class Handler:
    """How one kind of document is linted and formatted."""

    lint: Callable[[str, LintConfig, Path | None], list[Diagnostic]]
    format: Callable[[str, int | None], str]
    """(text, reflow width or None) -> the formatted text."""


def _split_newline(text: str) -> tuple[str, str]:
    body = text.rstrip("\r\n")
    return body, text[len(body) :]


def _lint_prompt_file(text: str, config: LintConfig, path: Path | None) -> list[Diagnostic]:
    return lint(_split_newline(text)[0], config)


def _format_prompt_file(text: str, reflow: int | None) -> str:
    body, newline = _split_newline(text)
    return format_prompt(body) + newline


HANDLERS: dict[Kind, Handler] = {Kind.PROMPT: Handler(_lint_prompt_file, _format_prompt_file)}


def register(kind: Kind, handler: Handler) -> None:
    """Install the handler of a document kind (``hailuo_dsl.shots`` installs ``.shot``)."""
    HANDLERS[kind] = handler


def _handler(kind: Kind) -> Handler:
    if kind not in HANDLERS:
        importlib.import_module("hailuo_dsl.shots")  # registers the .shot handler
    return HANDLERS[kind]


def lint_document(text: str, kind: Kind, config: LintConfig | None = None, path: Path | None = None) -> list[Diagnostic]:
    """Diagnostics for a whole document; offsets are into ``text``."""
    return _handler(kind).lint(text, config or LintConfig(), path)


def fix_document(
    text: str, kind: Kind, config: LintConfig | None = None, path: Path | None = None, *, unsafe: bool = False
) -> FixResult:
    """Apply fixes until the document is stable."""
    handler = _handler(kind)
    return fix_text(text, lambda t: handler.lint(t, config or LintConfig(), path), unsafe=unsafe)


def format_document(text: str, kind: Kind, *, reflow: int | None = None) -> str:
    """The formatted document (``text`` itself when it is already formatted). ``reflow`` re-wraps
    a script's prompt lines to that width; a prompt file is one prompt and is never re-wrapped."""
    return _handler(kind).format(text, reflow)

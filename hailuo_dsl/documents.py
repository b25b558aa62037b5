"""Documents: the files the front ends (CLI, language server, MCP) lint, fix and format.

A prompt file (``.prompt``, ``.txt``, or standard input) holds one prompt; its final line break is
not part of the prompt. A ``.shot`` file is a script of many shots (see ``hailuo_dsl.shots``).
Every front end goes through these functions, so they all see the same diagnostics.
"""

from __future__ import annotations

import enum
from dataclasses import replace
from pathlib import Path

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.prompt.fixes import FixResult, fix_text
from hailuo_dsl.prompt.formatter import format_prompt
from hailuo_dsl.prompt.linter import lint
from hailuo_dsl.textfile import lone_cr

PROMPT_SUFFIXES = (".prompt", ".txt")
SHOT_SUFFIXES = (".shot",)


class DocumentKind(str, enum.Enum):
    """What a document holds: one prompt, or a ``.shot`` script."""

    PROMPT = "prompt"
    SHOT = "shot"


def kind_of(path: Path | str | None) -> DocumentKind:
    """A ``.shot`` file is a script; anything else is read as one prompt."""
    return DocumentKind.SHOT if path is not None and str(path).endswith(SHOT_SUFFIXES) else DocumentKind.PROMPT


def _split_newline(text: str) -> tuple[str, str]:
    body = text.rstrip("\r\n")
    return body, text[len(body) :]


def lint_document(text: str, kind: DocumentKind, config: LintConfig | None = None, path: Path | None = None) -> list[Diagnostic]:
    """Diagnostics for a whole document; offsets are into ``text``."""
    config = config or LintConfig()
    if kind is DocumentKind.PROMPT:
        return lint(_split_newline(text)[0], config)
    from hailuo_dsl.shots.lint import lint_script  # scripts need the compiler; prompt files do not

    return offered_fixes(text, lint_script(text, config, path))


def offered_fixes(text: str, found: list[Diagnostic]) -> list[Diagnostic]:
    """A script's findings as every front end offers them: those in the script without their
    fixes when ``text`` has a lone CR, which ends a line for editors but not for the script
    grammar, so that a fix would join lines an editor shows apart (a whole script into one shot
    name). Findings in its shot-spec (``path`` set) keep theirs."""
    if lone_cr(text) is None:
        return found
    return [replace(d, fix=None) if d.path is None else d for d in found]


def fix_document(
    text: str, kind: DocumentKind, config: LintConfig | None = None, path: Path | None = None, *, unsafe: bool = False
) -> FixResult:
    """Apply fixes until the document is stable."""
    return fix_text(text, lambda t: lint_document(t, kind, config, path), unsafe=unsafe)


def format_document(text: str, kind: DocumentKind, *, reflow: int | None = None) -> str:
    """The formatted document (``text`` itself when it is already formatted). ``reflow`` re-wraps
    a script's prompt lines to that width; a prompt file is one prompt and is never re-wrapped."""
    if kind is DocumentKind.PROMPT:
        body, newline = _split_newline(text)
        return format_prompt(body) + newline
    from hailuo_dsl.shots.formatter import format_script

    return format_script(text, reflow=reflow)

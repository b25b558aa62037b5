"""Linting a ``.shot`` script: what ``hailuo lint`` and the language server report.

Lint = the parser's syntax findings (HL7xx) + what the compiler finds (``compiler.lint_findings``):
each shot's prompt linted as a prompt and mapped back to file offsets (fixes too), and the spec and
shot rules (HL6xx); then the configuration (the script's spec ``[lint]`` table on top of the given
one) and the suppression comments decide what is shown and how severe it is. ``hailuo compile``,
``hailuo render`` and ``hailuo submit`` run the same compile, so they stop on the errors lint shows.
"""

from __future__ import annotations

from pathlib import Path

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.shots.compiler import lint_findings
from hailuo_dsl.shots.parser import parse_script


def lint_script(text: str, config: LintConfig | None = None, path: Path | None = None) -> list[Diagnostic]:
    """Every finding of a script, sorted: those in the script first (by offset), then those in
    its shot-spec (``Diagnostic.path`` set)."""
    return lint_findings(parse_script(text, path), config, path)

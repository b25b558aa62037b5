"""hailuo-dsl: a prompt language, linter, formatter, compiler and client for MiniMax-Hailuo-02.

The Python API::

    from hailuo_dsl import parse_prompt, lint, fix, format_prompt

    prompt = "A man picks up a book [pedestal up], then reads [Static]."
    for d in lint(prompt):
        print(d.code, d.message)
    print(fix(prompt))            # "A man picks up a book [Pedestal up], then reads [Static shot]."
"""

from hailuo_dsl.config import ConfigError, LintConfig, load_config
from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix, Severity
from hailuo_dsl.fixes import fix
from hailuo_dsl.formatter import format_prompt
from hailuo_dsl.linter import lint
from hailuo_dsl.parser import parse_prompt
from hailuo_dsl.positions import LineIndex
from hailuo_dsl.rules import RULES, Rule

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "ConfigError",
    "Diagnostic",
    "Edit",
    "Fix",
    "LineIndex",
    "LintConfig",
    "Rule",
    "Severity",
    "fix",
    "format_prompt",
    "lint",
    "load_config",
    "parse_prompt",
]

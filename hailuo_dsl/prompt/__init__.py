"""The prompt language: prose with bracketed camera directives (contract §6).

``parse_prompt`` gives a syntax tree with exact spans, ``lint`` runs the prompt rules over it,
``fix`` applies their safe fixes until the text is stable, and ``format_prompt`` writes the
directives in their canonical spelling. ``LineIndex`` turns offsets into lines and columns.

The names are loaded on first use: the rules import this package's syntax and classifier, and
the linter imports the rules, so nothing here may be imported eagerly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hailuo_dsl.prompt.fixes import fix
    from hailuo_dsl.prompt.formatter import format_prompt
    from hailuo_dsl.prompt.linter import lint
    from hailuo_dsl.prompt.parser import parse_prompt
    from hailuo_dsl.prompt.positions import LineIndex, Position


def __getattr__(name: str) -> Any:
    """The public names, each imported from its module when first asked for."""
    value: Any
    if name == "fix":
        from hailuo_dsl.prompt import fixes as module
    elif name == "format_prompt":
        from hailuo_dsl.prompt import formatter as module
    elif name == "lint":
        from hailuo_dsl.prompt import linter as module
    elif name == "parse_prompt":
        from hailuo_dsl.prompt import parser as module
    elif name in ("LineIndex", "Position"):
        from hailuo_dsl.prompt import positions as module
    else:
        raise AttributeError(f"module 'hailuo_dsl.prompt' has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value


__all__ = ["LineIndex", "Position", "fix", "format_prompt", "lint", "parse_prompt"]

"""``lint``: run the enabled rules over a prompt and collect their diagnostics."""

from __future__ import annotations

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.prompt.parser import parse_prompt
from hailuo_dsl.prompt.syntax import Prompt
from hailuo_dsl.rules.base import Context

_DEFAULT = LintConfig()


def lint(
    text: str | Prompt,
    config: LintConfig | None = None,
    *,
    duration: int | None = None,
    require_text: bool = True,
) -> list[Diagnostic]:
    """Lint one prompt. ``duration`` (6 or 10) sets the move budget; ``require_text`` is false
    where a first frame makes the prompt optional. Diagnostics come sorted by position."""
    config = config or _DEFAULT
    prompt = text if isinstance(text, Prompt) else parse_prompt(text)
    ctx = Context(prompt, config.options(duration, require_text))
    found: list[Diagnostic] = []
    for rule, severity in config.prompt_plan():
        assert rule.check is not None
        for f in rule.check(ctx):
            found.append(Diagnostic(rule.code, rule.name, severity, f.message, f.start, f.end, f.fix, f.suggestions))
    found.sort(key=lambda d: (d.start, d.code))
    return found

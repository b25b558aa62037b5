"""The MCP tools that read and check: prompts, the directive and rule tables, and scripts.

Each calls the core the CLI calls (``documents`` for lint, fix and format with the configuration
``hailuo lint`` reads; the directives table; the rule registry; the shots compiler with its lint
gate) and turns what it gives into the models of :mod:`hailuo_dsl.mcp.models`. What the user can
act on is a ``ToolError``: one line the assistant reads, never a traceback.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

from mcp.server.mcpserver.exceptions import ToolError

from hailuo_dsl.config import ConfigError, LintConfig, load_config, with_overrides
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.documents import DocumentKind, fix_document, format_document, lint_document
from hailuo_dsl.mcp.models import (
    AppliedFix,
    Compiled,
    Directive,
    DirectiveTable,
    Finding,
    FixOutcome,
    Formatted,
    LintResult,
    RuleInfo,
    RuleTable,
)
from hailuo_dsl.prompt.directives import DIRECTIVES, MAX_PER_BRACKET
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.rules import BY_CODE, BY_NAME, RULES
from hailuo_dsl.rules.base import Rule

USAGE = (
    "Write directives in square brackets, in English or Chinese; one bracket may hold both. "
    f"Together (at most {MAX_PER_BRACKET}): [Pan left, Pedestal up] or [左摇,上升]. "
    "One after another: [Push in], then [Pull out]."
)


def config_for(path: Path | None) -> LintConfig:
    """The configuration ``hailuo lint`` reads for ``path`` (for text: the server's working folder's)."""
    folder = (path.parent if path is not None else Path.cwd()).resolve()
    try:
        return load_config(folder)[0]
    except ConfigError as err:
        raise ToolError(str(err)) from None


def _prompt_config(duration: int | None) -> LintConfig:
    config = config_for(None)
    return config if duration is None else with_overrides(config, {"duration": duration})


def lint_prompt(text: str, duration: Literal[6, 10] | None = None) -> LintResult:
    """Lint one prompt as `hailuo lint --prompt` does: each finding (code, severity, message, span,
    fix) and the prompt with every safe fix applied. ``duration`` (6 or 10 seconds) sets the move budget."""
    config = _prompt_config(duration)
    index = LineIndex(text)
    found = lint_document(text, DocumentKind.PROMPT, config)
    fixed = fix_document(text, DocumentKind.PROMPT, config)
    return LintResult(
        clean=not any(d.severity is not Severity.INFO for d in found),
        findings=[Finding.of(d, text, index=index) for d in found],
        fixed_text=fixed.text,
    )


def fix_prompt(text: str, unsafe: bool = False, duration: Literal[6, 10] | None = None) -> FixOutcome:
    """Apply the fixes of `hailuo lint --fix` to one prompt (``unsafe``: also the guesses among close
    meanings, as --unsafe-fixes). Fixes never change what the prompt means."""
    config = _prompt_config(duration)
    result = fix_document(text, DocumentKind.PROMPT, config, unsafe=unsafe)
    index = LineIndex(result.text)
    return FixOutcome(
        text=result.text,
        changed=result.text != text,
        applied=[
            AppliedFix(code=d.code, name=d.name, message=d.message, fix=d.fix.description if d.fix is not None else "")
            for d in result.applied
        ],
        remaining=[Finding.of(d, result.text, index=index) for d in result.remaining],
    )


def format_prompt(text: str) -> Formatted:
    """Format one prompt as `hailuo fmt` does: canonical directive spelling and bracket spacing;
    prose is never touched."""
    formatted = format_document(text, DocumentKind.PROMPT)
    return Formatted(text=formatted, changed=formatted != text)


def list_directives() -> DirectiveTable:
    """The fifteen camera directives: English and Chinese names, what the camera does, how to write them."""
    return DirectiveTable(
        directives=[
            Directive(english=d.name, chinese=d.chinese, category=d.category, axis=d.axis, description=d.description)
            for d in DIRECTIVES
        ],
        max_per_bracket=MAX_PER_BRACKET,
        usage=USAGE,
    )


def _info(rule: Rule, explanation: bool = True) -> RuleInfo:
    return RuleInfo(
        code=rule.code,
        name=rule.name,
        severity=rule.severity.value,
        fixable=rule.fixable,
        enforced=rule.enforced,
        summary=rule.summary,
        explanation=rule.explanation if explanation else "",
    )


def rule_table() -> RuleTable:
    """Every rule with its code, name, severity, whether it fixes and what it finds."""
    return RuleTable(rules=[_info(r, explanation=False) for r in RULES])


def explain_rule(code: str) -> RuleInfo:
    """Explain one rule (by code, as HL101, or by name, as unknown-directive), with its examples."""
    found = BY_CODE.get(code.strip().upper()) or BY_NAME.get(code.strip())
    if found is None:
        close = difflib.get_close_matches(code.upper(), list(BY_CODE), n=1) or difflib.get_close_matches(code, list(BY_NAME), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; the resource hailuo://rules lists them"
        raise ToolError(f"unknown rule '{code}'{hint}")
    return _info(found)


def script_path(script: str) -> Path:
    """A ``.shot`` script on this machine (relative paths from the server's working folder)."""
    path = Path(script).expanduser()
    if not path.is_file():
        raise ToolError(f"{script}: no such file" if not path.exists() else f"{script}: not a file")
    return path.resolve()


def compile_findings(path: Path, shot: str | None) -> Compiled:
    """Compile ``path`` as `hailuo compile` does, its prompts linted by the same configuration."""
    from hailuo_dsl.shots.compiler import compile_script as compile_core
    from hailuo_dsl.shots.result import UnknownShotError

    try:
        result = compile_core(path, shots=[shot] if shot else None, config=config_for(path))
    except UnknownShotError as err:
        raise ToolError(f"{path}: {err}") from None
    except OSError as err:
        raise ToolError(os_message(err)) from None
    texts = {str(path): result.script.text}
    if result.spec is not None and result.spec.path is not None:
        texts[str(result.spec.path)] = result.spec.text
    findings = []
    for d in result.diagnostics:
        file = d.path or str(path)
        findings.append(Finding.of(d, texts.get(file) or _read(file), file=file))
    return Compiled(
        ok=result.ok, script=str(path), shots=[s.to_json() for s in result.shots] if result.ok else [], findings=findings
    )


def os_message(err: OSError) -> str:
    """One line for a file problem (a script's own read error carries its message, naming the file)."""
    return f"{err.filename}: {err.strerror}" if err.strerror and err.filename else str(err) or type(err).__name__


def _read(file: str) -> str:
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def compile_script(script: str, shot: str | None = None) -> Compiled:
    """Compile a .shot script (a path) into API request bodies, as `hailuo compile` does; with any
    error there are no bodies, only the located findings (each shot's prompt is linted too)."""
    return compile_findings(script_path(script), shot)

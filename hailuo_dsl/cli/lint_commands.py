"""``hailuo lint``, ``hailuo fmt``, ``hailuo rules``, ``hailuo rule`` and ``hailuo directives``."""

from __future__ import annotations

import re
from pathlib import Path

import click

from hailuo_dsl import rules as registry
from hailuo_dsl.cli.common import (
    STDIN,
    Source,
    UsageError,
    expand,
    max_file_mb_option,
    read_source,
    reports_for,
    to_stdout,
    write_text,
)
from hailuo_dsl.config import ConfigError, LintConfig, load_config, with_overrides
from hailuo_dsl.contract import DURATIONS
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.documents import fix_document, format_document, kind_of, lint_document
from hailuo_dsl.output import FORMATS, MAX_FINDINGS, FileReport, display_width, hidden_findings, render
from hailuo_dsl.prompt.directives import DIRECTIVES, MAX_PER_BRACKET


def _codes(value: str | None) -> list[str] | None:
    return None if value is None else [c.strip() for c in value.split(",") if c.strip()]


class _Configs:
    """The configuration for each input, found once per folder, with the command line on top."""

    def __init__(self, explicit: Path | None, overrides: dict[str, object]) -> None:
        self.explicit = explicit
        self.overrides = overrides
        self.cache: dict[Path, LintConfig] = {}

    def for_source(self, source: Source) -> LintConfig:
        folder = (source.path.parent if source.path is not None else Path.cwd()).resolve()
        if folder not in self.cache:
            try:
                base, _ = load_config(folder, self.explicit)
                self.cache[folder] = with_overrides(base, self.overrides)
            except ConfigError as err:
                raise UsageError(str(err)) from None
        return self.cache[folder]


def _sources(paths: tuple[str, ...], prompt: str | None) -> list[Source]:
    if prompt is not None:
        return [Source("<prompt>", None, prompt)]
    return [read_source(p) for p in expand(paths or (STDIN,))]


_LINES = re.compile(r"[^\n]*\n|[^\n]+")


def _unified(source: Source, new: str) -> str:
    """A unified diff as ``patch`` and ``git apply`` read it: lines split at ``\n`` only, and a last
    line without one marked ``\\ No newline at end of file`` (so ``-old`` and ``+new`` never run
    together on one line)."""
    import difflib

    out = []
    for line in difflib.unified_diff(_LINES.findall(source.text), _LINES.findall(new), f"a/{source.name}", f"b/{source.name}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _to_stdout(source: Source, text: str) -> None:
    """A prompt written to standard output ends with a line break (which is not part of it)."""
    to_stdout(source, text if text.endswith("\n") else text + "\n")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--prompt", "prompt", help="Lint this prompt text instead of files.")
@click.option("--fix", "apply_fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that guess among close meanings.")
@click.option("--diff", "show_diff", is_flag=True, help="Show the fixes as a diff; change nothing.")
@click.option("--select", help="Comma-separated rule codes, prefixes or names to run.")
@click.option("--ignore", help="Comma-separated rule codes, prefixes or names to skip.")
@click.option("--duration", type=click.Choice([str(d) for d in DURATIONS]), help="Clip length for the move budget.")
@click.option("--output-format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="Configuration file.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=MAX_FINDINGS,
    show_default=True,
    metavar="N",
    help="Findings shown per file (the others are counted); 0 shows all.",
)
@max_file_mb_option
def lint(
    paths: tuple[str, ...],
    prompt: str | None,
    apply_fix: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    select: str | None,
    ignore: str | None,
    duration: str | None,
    output_format: str,
    config_path: Path | None,
    exit_zero: bool,
    max_findings: int,
) -> None:
    """Lint prompt files (.prompt, .txt), .shot scripts, folders or - (stdin).

    Exit status: 0 clean, 1 findings (errors or warnings), 2 usage or I/O error.
    """
    overrides: dict[str, object] = {"select": _codes(select), "ignore": _codes(ignore)}
    if duration is not None:
        overrides["duration"] = int(duration)
    configs = _Configs(config_path, overrides)
    reports: list[FileReport] = []
    changed = False
    fixed = would_fix = 0
    sources = _sources(paths, prompt)
    # With --fix on stdin (or --prompt) the fixed text goes to stdout, so the report goes to stderr.
    text_on_stdout = apply_fix and not show_diff and any(s.path is None for s in sources)
    for source in sources:
        config = configs.for_source(source)
        kind = kind_of(source.path)
        if apply_fix or show_diff:
            result = fix_document(source.text, kind, config, source.path, unsafe=unsafe_fixes)
            if result.text != source.text:
                changed = True
                if show_diff:
                    would_fix += len(result.applied)
                    click.echo(_unified(source, result.text), nl=False)
                else:
                    fixed += len(result.applied)
                    if source.path is not None:
                        write_text(source, result.text)
            if source.path is None and not show_diff:
                _to_stdout(source, result.text)
            diagnostics = result.remaining if not show_diff else lint_document(source.text, kind, config, source.path)
            text = result.text if not show_diff else source.text
        else:
            diagnostics = lint_document(source.text, kind, config, source.path)
            text = source.text
        reports.extend(reports_for(source.name, text, diagnostics))
    out = render(reports, output_format, summary=True, fixed=fixed, would_fix=would_fix, max_findings=max_findings)
    if out:
        click.echo(out, nl=False, err=text_on_stdout)
    if output_format == "json":
        for note in hidden_findings(reports, max_findings):
            click.echo(f"hailuo: {note}", err=True)
    failing = any(d.severity is not Severity.INFO for r in reports for d in r.diagnostics) or (show_diff and changed)
    raise SystemExit(1 if failing and not exit_zero else 0)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True, help="Exit 1 if any file would change; write nothing.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the changes as a diff; write nothing.")
@click.option(
    "--reflow",
    type=click.IntRange(min=20),
    metavar="WIDTH",
    help="Re-wrap the prompt lines of .shot scripts to WIDTH columns (they are kept as written otherwise).",
)
@max_file_mb_option
def fmt(paths: tuple[str, ...], check: bool, show_diff: bool, reflow: int | None) -> None:
    """Format prompt files and .shot scripts: canonical directive spelling and bracket spacing.

    Prose is never touched. Exit status: 0 done (or nothing to do), 1 with --check/--diff when a
    file would change, 2 usage or I/O error.
    """
    would_change = []
    for source in _sources(paths, None):
        new = format_document(source.text, kind_of(source.path), reflow=reflow)
        if new == source.text:
            if source.path is None and not (check or show_diff):
                _to_stdout(source, new)
            continue
        would_change.append(source.name)
        if show_diff:
            click.echo(_unified(source, new), nl=False)
        elif check:
            click.echo(f"would reformat {source.name}", err=True)
        elif source.path is None:
            _to_stdout(source, new)
        else:
            write_text(source, new)
            click.echo(f"reformatted {source.name}", err=True)
    if (check or show_diff) and would_change:
        raise SystemExit(1)


@click.command("rules")
@click.option("--format", "fmt_", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def rules_command(fmt_: str) -> None:
    """List every rule: code, name, severity, fixable, summary."""
    if fmt_ == "json":
        import json

        data = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "fixable": r.fixable, "summary": r.summary}
            for r in registry.RULES
        ]
        click.echo(json.dumps(data, indent=2))
    elif fmt_ == "markdown":
        click.echo(rules_markdown(), nl=False)
    else:
        for r in registry.RULES:
            click.echo(f"{r.code}  {r.name:<22} {r.severity.value:<8} {'fix' if r.fixable else '   '}  {r.summary}")


def rules_markdown() -> str:
    """The rule table as it stands in the README (a test keeps the two equal)."""
    lines = ["| Code | Name | Severity | Fix | What it finds |", "|---|---|---|---|---|"]
    for r in registry.RULES:
        lines.append(f"| {r.code} | `{r.name}` | {r.severity.value} | {'yes' if r.fixable else ''} | {r.summary} |")
    return "\n".join(lines) + "\n"


@click.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Explain one rule (by code or name), with examples."""
    found = registry.BY_CODE.get(code.upper()) or registry.BY_NAME.get(code)
    if found is None:
        import difflib

        close = difflib.get_close_matches(code.upper(), list(registry.BY_CODE), n=1) or difflib.get_close_matches(
            code, list(registry.BY_NAME), n=1
        )
        hint = f"; did you mean {close[0]}?" if close else "; `hailuo rules` lists them"
        raise UsageError(f"unknown rule '{code}'{hint}")
    click.echo(f"{found.code} {found.name} ({found.severity.value}{', fixable' if found.fixable else ''})\n")
    click.echo(f"{found.summary}.\n")
    import shutil

    click.echo(for_terminal(found.explanation, min(shutil.get_terminal_size((88, 24)).columns, 88)))


_EXAMPLE = re.compile(r"^(?:Bad|Good|Before|After)\b[^:]*:")
_LITERAL = re.compile(r"``(.+?)``")


def for_terminal(explanation: str, width: int) -> str:
    """A rule's explanation (a docstring, with reStructuredText literals) as a terminal shows it:
    literals without their backticks, paragraphs wrapped to ``width``, example lines kept whole."""
    import textwrap

    blocks = []
    for block in explanation.split("\n\n"):
        lines = [_LITERAL.sub(r"\1", line) for line in block.splitlines()]
        if lines and all(_EXAMPLE.match(line) for line in lines):
            blocks.append("\n".join(lines))
        else:
            blocks.append(textwrap.fill(" ".join(line.strip() for line in lines), max(width, 40)))
    return "\n\n".join(blocks)


@click.command("directives")
@click.option("--format", "fmt_", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def directives_command(fmt_: str) -> None:
    """List the fifteen camera directives: English, Chinese, what the camera does."""
    if fmt_ == "json":
        data = [
            {"english": d.name, "chinese": d.chinese, "category": d.category, "axis": d.axis, "description": d.description}
            for d in DIRECTIVES
        ]
        import json

        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt_ == "markdown":
        click.echo(directives_markdown(), nl=False)
    else:
        click.echo(directives_text(), nl=False)


_HEADINGS = ("English", "Chinese", "What the camera does")


def directives_text() -> str:
    """The directive table in columns (CJK names take two columns each), and how to write them."""
    rows = [_HEADINGS, *((d.name, d.chinese, d.description) for d in DIRECTIVES)]
    widths = [max(display_width(row[i]) for row in rows) for i in range(2)]
    lines = [
        "  ".join(cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row[:2])) + "  " + row[2]
        for row in rows
    ]
    lines += [
        "",
        "Write them in square brackets, in English or Chinese; one bracket may hold both.",
        f"  Together (at most {MAX_PER_BRACKET}):  [Pan left, Pedestal up]     [左摇,上升]",
        "  One after another:    [Push in], then [Pull out]  [推进]，然后[拉远]",
    ]
    return "\n".join(lines) + "\n"


def directives_markdown() -> str:
    """The directive table as it stands in the README (a test keeps the two equal)."""
    lines = ["| English | Chinese | What the camera does |", "|---|---|---|"]
    lines += [f"| `[{d.name}]` | `[{d.chinese}]` | {d.description} |" for d in DIRECTIVES]
    return "\n".join(lines) + "\n"


COMMANDS: dict[str, click.Command] = {
    c.name: c for c in (lint, fmt, rules_command, rule_command, directives_command) if c.name is not None
}
"""This module's commands by name (``hailuo_dsl.cli`` lists them)."""

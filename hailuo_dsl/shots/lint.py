"""Linting a ``.shot`` script: what ``hailuo lint``, the language server and the compile gate report.

Lint = the parser's syntax findings (HL7xx) + each shot's prompt linted as a prompt and mapped back
to file offsets (fixes too) + the compiler's spec and shot rules (HL6xx); then the configuration (the script's
spec ``[lint]`` table on top of the given one, as ``hailuo compile`` does) and the suppression
comments decide what is shown and how severe it is.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix
from hailuo_dsl.prompt.linter import lint
from hailuo_dsl.shots.compiler import compile_checks
from hailuo_dsl.shots.findings import configured, effective_config, sorted_findings
from hailuo_dsl.shots.parser import parse_script
from hailuo_dsl.shots.precedence import coerce
from hailuo_dsl.shots.spec import ShotSpec, read_script_spec
from hailuo_dsl.shots.syntax import Script, Shot


def lint_script(text: str, config: LintConfig | None = None, path: Path | None = None) -> list[Diagnostic]:
    """Every finding of a script, sorted: those in the script first (by offset), then those in
    its shot-spec (``Diagnostic.path`` set)."""
    script = parse_script(text, path)
    spec, _judged_by_compile_checks = read_script_spec(script)
    config = effective_config(config, spec)
    found = list(script.diagnostics)
    for shot in script.shots:
        duration, has_first_frame = _resolved(shot, spec, config)
        found.extend(
            _prompt_diagnostics(script, shot, lint(shot.prompt, config, duration=duration, require_text=not has_first_frame))
        )
    found.extend(compile_checks(script, config, path))
    return sorted_findings(c for d in found if (c := configured(d, config, script)) is not None)


def _resolved(shot: Shot, spec: ShotSpec | None, config: LintConfig) -> tuple[int, bool]:
    """The shot's duration and whether it has a first frame, by the compiler's precedence."""
    tables: list[dict[str, object]] = []
    if spec is not None:
        if shot.name in spec.shots:
            tables.append(spec.shots[shot.name].given())
        tables.append(spec.defaults.given())
    duration: int = config.duration
    setting = shot.setting("duration")
    values: list[object] = [setting.value] if setting is not None else []
    values += [t["duration"] for t in tables if "duration" in t]
    for value in values:
        try:
            duration = int(str(coerce("duration", value, text=True)))
        except ValueError:  # the compiler reports it (HL601) and takes the next level's value
            continue
        break
    given = shot.setting("first_frame") is not None or shot.setting("continue") is not None  # @continue gives one
    first = given or any(t.get("first_frame") for t in tables)
    return duration, first


def _prompt_diagnostics(script: Script, shot: Shot, found: list[Diagnostic]) -> list[Diagnostic]:
    """Prompt findings moved from prompt offsets to file offsets. A fix is kept only where each
    edit stays within one prompt line, does not touch an escaped ``\\@``/``\\#`` and does not
    leave a line beginning with ``@``, ``#``, ``\\@`` or ``\\#`` (it would no longer be prompt text)."""
    offsets = shot.prompt_offsets
    last = len(offsets) - 1
    starts = {line.start for line in shot.lines}
    escaped = {start for start in starts if start > 0 and script.text[start - 1] == "\\"}
    out = []
    for d in found:
        start = offsets[min(d.start, last)]
        end = offsets[min(d.end, last)]
        if not shot.prompt:
            start, end = shot.name_span
        fix = d.fix
        if fix is not None:
            edits: list[Edit] = []
            for edit in fix.edits:
                file_start, file_end = offsets[min(edit.start, last)], offsets[min(edit.end, last)]
                if (
                    "\n" in script.text[file_start:file_end]
                    or file_start in escaped
                    or (file_start in starts and _reads_as_syntax(edit.text + _rest_of_line(script.text, file_end)))
                ):
                    edits = []
                    break
                edits.append(Edit(file_start, file_end, edit.text))
            fix = Fix(fix.description, tuple(edits), fix.safe) if edits else None
        out.append(dataclasses.replace(d, start=start, end=end, fix=fix))
    return out


def _reads_as_syntax(line_rest: str) -> bool:
    """Whether a prompt line whose text begins with ``line_rest`` would be read as a setting, a
    comment or an escape rather than as the prompt text it was."""
    return line_rest.lstrip(" \t").startswith(("@", "#", "\\@", "\\#"))


def _rest_of_line(text: str, offset: int) -> str:
    end = text.find("\n", offset)
    return text[offset : end if end >= 0 else len(text)]

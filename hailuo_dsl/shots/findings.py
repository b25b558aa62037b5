"""What the configuration and the script's suppression comments make of a finding, where a shot's
prompt findings stand in the file, and the order findings are shown in: one path for ``hailuo
lint``, ``hailuo compile``, ``hailuo render``, ``hailuo submit`` and the language server."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix
from hailuo_dsl.prompt.linter import lint
from hailuo_dsl.rules import BY_CODE, SHOT_CHECKS
from hailuo_dsl.shots.spec import ShotSpec
from hailuo_dsl.shots.syntax import Script, Shot

JUDGED_ON_THE_SHOT: frozenset[str] = frozenset(r.code for r, _check in SHOT_CHECKS if r.check is not None)
"""The prompt rules that also read a resolved shot (HL501, HL502): in a script they are judged on
the shot, whose mode and joined prompt the compiler knows, so the prompt linter's findings of
theirs are left out."""


def prompt_findings(script: Script, shot: Shot, config: LintConfig, *, duration: int, require_text: bool) -> list[Diagnostic]:
    """The prompt rules' findings on a shot's prompt, at the rules' configured severities, moved
    to file offsets (the configuration's suppressions are applied later, with the others')."""
    found = [
        d for d in lint(shot.prompt, config, duration=duration, require_text=require_text) if d.code not in JUDGED_ON_THE_SHOT
    ]
    return _in_the_file(script, shot, found) if found else found


def _in_the_file(script: Script, shot: Shot, found: list[Diagnostic]) -> list[Diagnostic]:
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


def configured(d: Diagnostic, config: LintConfig, script: Script) -> Diagnostic | None:
    """A finding at the severity the configuration gives it; None when the configuration or a
    suppression comment of the script silences it."""
    severity = config.severity_for(d.code)
    if severity is None or script.suppresses(d):
        return None
    return d if severity is d.severity else dataclasses.replace(d, severity=severity)


def kept_in_compile(d: Diagnostic, config: LintConfig, script: Script) -> Diagnostic | None:
    """A finding of ``hailuo compile``: one of a rule the compile enforces stays as it is (an error)
    whatever the configuration or a suppression says; the others as :func:`configured` makes them."""
    return d if BY_CODE[d.code].enforced else configured(d, config, script)


def effective_config(config: LintConfig | None, spec: ShotSpec | None) -> LintConfig:
    """The configuration for a script: its spec's ``[lint]`` table on top of the one given."""
    config = config or LintConfig()
    return config if spec is None or spec.lint is None else config.merged(**spec.lint_overrides())


def sorted_findings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Findings in the script first (by offset), then those in other files (by path, offset)."""
    return sorted(diagnostics, key=lambda d: (d.path is not None, d.path or "", d.start, d.code))

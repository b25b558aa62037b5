"""What the configuration and the script's suppression comments make of a finding, and the order
findings are shown in: one path for ``hailuo lint``, ``hailuo compile`` and the language server."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.rules import BY_CODE
from hailuo_dsl.shots.spec import ShotSpec
from hailuo_dsl.shots.syntax import Script


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

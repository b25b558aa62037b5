"""HL706 unknown-setting."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule("HL706", "unknown-setting", Severity.ERROR, "A setting key that does not exist", scope=Scope.SCRIPT, fixable=True)
def unknown_setting(ctx: ScriptContext) -> Iterator[Finding]:
    r"""The keys are ``model``, ``duration``, ``resolution``, ``first_frame``, ``last_frame``,
    ``prompt_optimizer``, ``fast_pretreatment`` and ``watermark``. A mistyped key would be
    silently ignored, so it is an error; where one key is meant, the fix writes it. To start a
    prompt line with a literal ``@``, write ``\@``.

    Bad:

        shot opening
          @durration 10
          A mouse runs toward the camera.

    Good:

        shot opening
          @duration 10
          A mouse runs toward the camera.
    """
    from hailuo_dsl.shots.settings import SETTINGS, closest_setting  # imported when it runs: every command reads the registry

    for line in ctx.script.setting_lines:
        key = line.key
        if not key or key in SETTINGS:
            continue
        close = closest_setting(key)
        start, end = line.key_span
        if close is None:
            yield Finding(start, end, f"Unknown setting @{key} (known: {', '.join('@' + k for k in SETTINGS)})")
        else:
            fix = Fix(f"Replace with @{close}", (Edit(start + 1, end, close),))
            yield Finding(start, end, f"Unknown setting @{key}; did you mean @{close}?", fix, (close,))

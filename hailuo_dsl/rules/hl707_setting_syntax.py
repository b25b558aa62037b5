"""HL707 setting-syntax."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules._script import misplaced
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule("HL707", "setting-syntax", Severity.ERROR, "A setting or spec line that is not 'key value'", scope=Scope.SCRIPT)
def setting_syntax(ctx: ScriptContext) -> Iterator[Finding]:
    r"""A setting is ``@key value`` and the spec line is ``spec value``: exactly one value, a bare
    word or a double-quoted string (``\"`` and ``\\`` are its escapes). A value with spaces must
    be quoted; a trailing ``# comment`` needs a space before the ``#``.

    Bad:

        shot opening
          @first_frame frames/my mouse.png

    Good:

        shot opening
          @first_frame "frames/my mouse.png"
    """
    for line in ctx.script.setting_lines:
        if not line.key:
            yield Finding(*line.key_span, "A setting needs a key: '@key value'")
        elif line.shape == "missing":
            yield Finding(*line.value_span, f"@{line.key} has no value")
        elif line.shape == "extra":
            yield Finding(*line.value_span, f"@{line.key} takes one value; quote a value that has spaces")
    for spec in ctx.script.spec_lines:
        if misplaced(ctx, spec) is not None:
            continue
        if spec.shape == "missing":
            yield Finding(*spec.value_span, 'spec needs a file name: spec "file.toml"')
        elif spec.shape == "extra":
            yield Finding(*spec.value_span, "spec takes one file name")

"""HL702 text-outside-shot."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule("HL702", "text-outside-shot", Severity.ERROR, "Text that belongs to no shot", scope=Scope.SCRIPT, fixable=True)
def text_outside_shot(ctx: ScriptContext) -> Iterator[Finding]:
    """Column 0 holds only ``shot`` headers, the ``spec`` line, comments and blank lines; everything a
    shot holds is indented below its header. Unindented text (or indented text before the first
    shot) would otherwise be read as part of no prompt, so it is an error rather than a guess.
    Inside a shot, an unindented ``@setting`` is fixed by indenting it.

    Bad:

        shot opening
        A mouse runs toward the camera.

    Good:

        shot opening
          A mouse runs toward the camera.
    """
    for line in ctx.script.stray_lines:
        if line.setting and line.indented:  # a setting before the first shot: HL705
            continue
        start, end = line.span
        if line.shot is None:
            what = "A setting" if line.setting else "Text"
            yield Finding(start, end, f"{what} before the first shot; a shot begins with 'shot NAME'")
            continue
        indent = Fix("Indent the line into the shot", (Edit(start, start, "  "),), safe=line.setting)
        what = "setting" if line.setting else "text"
        yield Finding(start, end, f"Unindented {what} in shot '{line.shot}'; the lines of a shot are indented", indent)

"""What several script rules (HL7xx) read alike: where a line stands, which spec line is misplaced."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hailuo_dsl.rules.contexts import ScriptContext

if TYPE_CHECKING:
    from hailuo_dsl.shots.syntax import SpecLine


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    """The start of the line holding ``offset`` and the end of its content (line break excluded)."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    if end > start and text[end - 1] == "\r":
        end -= 1
    return start, end


def misplaced(ctx: ScriptContext, line: SpecLine) -> str | None:
    """Why a ``spec`` line is not the script's spec line (HL711), or None when it may be: it
    comes after a shot, or after the spec line the script already has."""
    if line.after_shot:
        return "The spec line must come before the first shot"
    spec = ctx.script.spec
    if spec is not None and spec.span.start < line.keyword.start:
        return f"A second spec line (the first is on line {ctx.line_of(spec.span.start)})"
    return None

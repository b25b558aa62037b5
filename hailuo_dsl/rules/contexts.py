"""The contexts the script rules read, one per scope (the prompt rules read ``base.Context``).

Each is a small record of facts made by the part that knows them: the script parser makes a
:class:`ScriptContext` of its tree (HL7xx); the compiler a :class:`SpecContext` of the shot-spec
as read (HL601, HL602, HL614-HL616), a :class:`ShotContext` of each shot with its settings
resolved (HL501-HL502 in a script, HL601, HL603-HL606, HL612, HL617) and a :class:`FrameContext`
of each frame a shot names (HL607-HL611, HL613). A check reads its context and yields findings;
it never reads a file or the configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hailuo_dsl.rules.base import Finding

if TYPE_CHECKING:
    from hailuo_dsl.contract import Mode
    from hailuo_dsl.prompt.positions import LineIndex
    from hailuo_dsl.shots.frames import Frame
    from hailuo_dsl.shots.images import ImageFacts
    from hailuo_dsl.shots.precedence import Located, ResolvedShot
    from hailuo_dsl.shots.spec_keys import SpecRead
    from hailuo_dsl.shots.syntax import Script, Shot


@dataclass(slots=True)
class ScriptContext:
    """One parsed script: its tree, with the records of what did not fit it."""

    script: Script
    _index: LineIndex | None = None

    @property
    def every_shot(self) -> list[Shot]:
        """Every shot a header opened, with a valid name or not: each owns its lines."""
        return self.script.shots + self.script.invalid_shots

    def line_of(self, offset: int) -> int:
        """The one-based line number of ``offset``, for messages."""
        if self._index is None:
            from hailuo_dsl.prompt.positions import LineIndex  # imported when needed: every command reads the registry

            self._index = LineIndex(self.script.text)
        return self._index.line_of(offset) + 1


@dataclass(slots=True)
class SpecContext:
    """A shot-spec as read for one script: what the reading found, and the names of the script's
    shots, which its ``[shots.NAME]`` tables must match (None: the spec is judged alone)."""

    read: SpecRead
    shot_names: tuple[str, ...] | None


@dataclass(slots=True)
class ShotContext:
    """One shot of a script with its settings resolved (each value with where it came from, and
    the ``@settings`` whose value was refused), the mode its frames make, and each frame it
    names (by role: ``first_frame``, ``last_frame``) with what was learnt of it. ``continues``
    names the shot whose last frame will be its first (``@continue``; known only at render time)."""

    resolved: ResolvedShot
    mode: Mode
    frames: Mapping[str, Frame]
    continues: str | None = None

    @property
    def shot(self) -> Shot:
        return self.resolved.shot


@dataclass(slots=True)
class FrameContext:
    """One frame a shot names: what was learnt of it, its role as people say it (``first
    frame``), its value as given, the spec table it comes from (``[shots.a]``; "" elsewhere) and
    where its value stands (the ``@setting``'s value, the spec key, or the shot's header for the
    command line). A frame check decides on ``facts`` alone (the rest only names and places its
    finding), so the compiler judges a frame it found clean once for all the shots naming it."""

    facts: ImageFacts
    role: str
    value: str
    table: str
    where: Located

    @property
    def called(self) -> str:
        """How a finding names the frame: ``[shots.a] first frame "frames/a.png"``."""
        import json  # imported when needed: every command reads the registry

        value = self.value if len(self.value) <= 60 else self.value[:40] + "…"
        called = f"{self.role} {json.dumps(value, ensure_ascii=False)}"
        return f"{self.table} {called}" if self.table else called

    def finding(self, problem: str) -> Finding:
        """A finding of this frame: ``[shots.a] first frame "a.png" does not exist (...)``."""
        return finding_at(self.where, f"{self.called} {problem}")


def finding_at(where: Located, message: str) -> Finding:
    """A finding at a located span (in the script, or in the file ``where`` names)."""
    path, (start, end) = where
    return Finding(start, end, message, path=path)

"""Continuity: the shots of a script that start on another shot's last frame (``@continue``).

A shot's ``@continue NAME`` makes its first frame the last frame of NAME's chosen take; a bare
``@continue`` names the shot before it in the script. The links make a graph that the rules judge
(an unknown name, a loop, a bare ``@continue`` on the first shot, chains too long) and the render
follows (a shot is submitted once the shot it continues has its video). This module reads the
parsed script only, so the rules can read it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from hailuo_dsl.shots.syntax import Script, Setting, Shot

CONTINUE_KEY = "continue"
PLACEHOLDER_SCHEME = "last-frame-of:"
"""How a compiled request names a first frame known only at render time: ``last-frame-of:NAME``."""
SOFT_DEPTH = 3
"""Continuations in a row beyond which each generation has visibly softened the picture."""


def placeholder(parent: str) -> str:
    """The first frame of a shot that continues ``parent``, as its compiled request shows it."""
    return PLACEHOLDER_SCHEME + parent


@dataclass(frozen=True, slots=True)
class Link:
    """One ``@continue``: the shot it stands in, the setting, and the shot it names (the one
    before for a bare ``@continue``; None when there is none before)."""

    shot: Shot
    setting: Setting
    parent: str | None

    @property
    def bare(self) -> bool:
        return not self.setting.value.strip()


def links(script: Script) -> Iterator[Link]:
    """Every shot's ``@continue`` (its last one, when repeated), in script order."""
    previous: Shot | None = None
    for shot in script.shots:
        setting = shot.setting(CONTINUE_KEY)
        if setting is not None:
            named = setting.value.strip()
            parent = named or (previous.name if previous is not None else None)
            yield Link(shot, setting, parent)
        previous = shot


def parents(script: Script) -> dict[str, str]:
    """Each continued shot's parent, by name (a name the script does not have included: the rules
    report it)."""
    return {link.shot.name: link.parent for link in links(script) if link.parent is not None}


def loop_of(name: str, graph: Mapping[str, str]) -> list[str] | None:
    """The loop ``name`` stands on (``[a, b, a]``), following parents; None when its chain ends."""
    path = [name]
    seen = {name}
    current = name
    while current in graph:
        current = graph[current]
        path.append(current)
        if current == name:
            return path
        if current in seen:
            return None  # a loop further up, not through this shot
        seen.add(current)
    return None


def chain(name: str, graph: Mapping[str, str]) -> list[str]:
    """``name`` and its ancestors, the oldest first (stops at a loop)."""
    found = [name]
    while found[-1] in graph and graph[found[-1]] not in found:
        found.append(graph[found[-1]])
    return found[::-1]


__all__ = ["CONTINUE_KEY", "PLACEHOLDER_SCHEME", "SOFT_DEPTH", "Link", "chain", "links", "loop_of", "parents", "placeholder"]

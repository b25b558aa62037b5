"""The fifteen Hailuo-02 camera directives, with their official Chinese names, and the facts the
rules need about them.

The table follows contract §6: each directive has an English name and an official Chinese name,
used the same way (``[Pan left, Pedestal up]``, ``[左摇,上升]``). Both are canonical: a bracket may
hold either, or both (a bracket may mix them), and every rule treats the twins as one directive.
Each directive belongs to a category; moves on the same *axis* in opposite directions contradict
each other when written in one bracket.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Directive:
    """One canonical camera directive: its English name, spelt exactly as the model expects it,
    and its official Chinese name (contract §6)."""

    name: str
    chinese: str
    category: str
    axis: str | None
    description: str

    @property
    def names(self) -> tuple[str, str]:
        """Both canonical spellings, English first."""
        return (self.name, self.chinese)

    @property
    def label(self) -> str:
        """``Pan left (左摇)``: how a list or a hover names the directive."""
        return f"{self.name} ({self.chinese})"


DIRECTIVES: tuple[Directive, ...] = (
    Directive("Truck left", "左移", "Truck", "truck", "The camera body moves sideways to the left."),
    Directive("Truck right", "右移", "Truck", "truck", "The camera body moves sideways to the right."),
    Directive("Pan left", "左摇", "Pan", "pan", "The camera turns left on its base, staying in place."),
    Directive("Pan right", "右摇", "Pan", "pan", "The camera turns right on its base, staying in place."),
    Directive("Push in", "推进", "Push", "push", "The camera body moves forward, towards the subject."),
    Directive("Pull out", "拉远", "Push", "push", "The camera body moves backward, away from the subject."),
    Directive("Pedestal up", "上升", "Pedestal", "pedestal", "The camera body rises vertically."),
    Directive("Pedestal down", "下降", "Pedestal", "pedestal", "The camera body lowers vertically."),
    Directive("Tilt up", "上摇", "Tilt", "tilt", "The camera tips upward, staying in place."),
    Directive("Tilt down", "下摇", "Tilt", "tilt", "The camera tips downward, staying in place."),
    Directive("Zoom in", "变焦推近", "Zoom", "zoom", "The lens zooms in; the camera does not move."),
    Directive("Zoom out", "变焦拉远", "Zoom", "zoom", "The lens zooms out; the camera does not move."),
    Directive("Shake", "晃动", "Shake", None, "Handheld-style camera shake."),
    Directive("Tracking shot", "跟随", "Follow", None, "The camera follows the moving subject."),
    Directive("Static shot", "固定", "Static", None, "The camera holds still."),
)

BY_NAME: dict[str, Directive] = {name: d for d in DIRECTIVES for name in d.names}
"""Every canonical spelling, English and Chinese, to its directive."""
BY_ENGLISH: dict[str, Directive] = {d.name: d for d in DIRECTIVES}
BY_CHINESE: dict[str, Directive] = {d.chinese: d for d in DIRECTIVES}
BY_LOWER: dict[str, Directive] = {d.name.lower(): d for d in DIRECTIVES}
"""The English names in lower case, for spellings that differ only in case and spacing."""
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(d.category for d in DIRECTIVES))
NAMES: tuple[str, ...] = tuple(d.name for d in DIRECTIVES) + tuple(d.chinese for d in DIRECTIVES)
"""Every canonical spelling: the fifteen English names, then the fifteen Chinese ones."""

STATIC = "Static shot"
MAX_PER_BRACKET = 3

# Legitimate pairs that look like opposites: the dolly zoom keeps the subject's size while the
# background stretches. They sit on different axes, so no axis rule fires; the pairs are listed
# so hover text and docs can name them.
DOLLY_ZOOMS: tuple[frozenset[str], ...] = (
    frozenset({"Push in", "Zoom out"}),
    frozenset({"Pull out", "Zoom in"}),
)

# The sequence word of each language: "[Push in], then [Pull out]", "[推进]，然后[拉远]".
THEN_WORDS: tuple[str, ...] = ("then", "然后")


def by_category(category: str) -> tuple[Directive, ...]:
    """All directives in one category, in table order."""
    return tuple(d for d in DIRECTIVES if d.category == category)


def english(name: str) -> str:
    """The English name of a canonical spelling (either language): the directive's identity, so
    ``[推进, Push in]`` is one directive twice."""
    return BY_NAME[name].name


def twin(name: str) -> str:
    """The canonical spelling of the same directive in the other language."""
    directive = BY_NAME[name]
    return directive.chinese if name == directive.name else directive.name


@functools.cache
def _ideograph() -> re.Pattern[str]:
    """Compiled on first need (never for ASCII text): a class of such large ranges takes about
    4 ms to compile, which every start-up would otherwise pay."""
    return re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def is_chinese(text: str) -> bool:
    """Whether ``text`` holds a CJK ideograph (a Chinese name, or Chinese prose)."""
    return not text.isascii() and _ideograph().search(text) is not None


def join_items(names: list[str] | tuple[str, ...]) -> str:
    """The inside of a bracket in each documentation's own style: Chinese names joined with a bare
    comma (``左摇,上升``, as the Chinese documentation writes them), others with a comma and a space."""
    if names and all(n in BY_CHINESE for n in names):
        return ",".join(names)
    return ", ".join(names)

"""The fifteen Hailuo-02 camera directives and the facts the rules need about them.

The table follows contract §6. Each directive belongs to a category; moves on
the same *axis* in opposite directions contradict each other when written in one bracket.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Directive:
    """One canonical camera directive, spelt exactly as the model expects it."""

    name: str
    category: str
    axis: str | None
    description: str


DIRECTIVES: tuple[Directive, ...] = (
    Directive("Truck left", "Truck", "truck", "The camera body moves sideways to the left."),
    Directive("Truck right", "Truck", "truck", "The camera body moves sideways to the right."),
    Directive("Pan left", "Pan", "pan", "The camera turns left on its base, staying in place."),
    Directive("Pan right", "Pan", "pan", "The camera turns right on its base, staying in place."),
    Directive("Push in", "Push", "push", "The camera body moves forward, towards the subject."),
    Directive("Pull out", "Push", "push", "The camera body moves backward, away from the subject."),
    Directive("Pedestal up", "Pedestal", "pedestal", "The camera body rises vertically."),
    Directive("Pedestal down", "Pedestal", "pedestal", "The camera body lowers vertically."),
    Directive("Tilt up", "Tilt", "tilt", "The camera tips upward, staying in place."),
    Directive("Tilt down", "Tilt", "tilt", "The camera tips downward, staying in place."),
    Directive("Zoom in", "Zoom", "zoom", "The lens zooms in; the camera does not move."),
    Directive("Zoom out", "Zoom", "zoom", "The lens zooms out; the camera does not move."),
    Directive("Shake", "Shake", None, "Handheld-style camera shake."),
    Directive("Tracking shot", "Follow", None, "The camera follows the moving subject."),
    Directive("Static shot", "Static", None, "The camera holds still."),
)

BY_NAME: dict[str, Directive] = {d.name: d for d in DIRECTIVES}
BY_LOWER: dict[str, Directive] = {d.name.lower(): d for d in DIRECTIVES}
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(d.category for d in DIRECTIVES))

STATIC = "Static shot"
MAX_PER_BRACKET = 3

# Legitimate pairs that look like opposites: the dolly zoom keeps the subject's size while the
# background stretches. They sit on different axes, so no axis rule fires; the pairs are listed
# so hover text and docs can name them.
DOLLY_ZOOMS: tuple[frozenset[str], ...] = (
    frozenset({"Push in", "Zoom out"}),
    frozenset({"Pull out", "Zoom in"}),
)


def by_category(category: str) -> tuple[Directive, ...]:
    """All directives in one category, in table order."""
    return tuple(d for d in DIRECTIVES if d.category == category)

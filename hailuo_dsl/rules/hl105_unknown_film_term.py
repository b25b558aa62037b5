"""HL105 unknown-film-term."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.rules._names import finding_for
from hailuo_dsl.rules.base import Context, Finding, quoted, rule


@rule("HL105", "unknown-film-term", Severity.ERROR, "Film vocabulary the model does not take as a directive", fixable=True)
def unknown_film_term(ctx: Context) -> Iterator[Finding]:
    """Hailuo-02 knows fifteen directives, not the whole vocabulary of film. ``[Dolly in]`` is
    ``[Push in]``, ``[Crane up]`` is ``[Pedestal up]``, ``[Pan up]`` is ``[Tilt up]``,
    ``[Pull back]`` is ``[Pull out]``; these are fixed. ``[Whip pan]`` and ``[Orbit]`` have no
    single equivalent: the message names the nearest directives. Moves with no equivalent at
    all (``[Dutch angle]``) belong in the prose.

    Bad:  ``A hiker reaches the summit [Crane up].``
    Good: ``A hiker reaches the summit [Pedestal up].``
    """
    for _bracket, _index, item, verdict in ctx.of_kind(ItemKind.FILM_TERM):
        if verdict.directive is None and not verdict.suggestions:
            message = f"{quoted(item.name)} has no camera directive; describe it in the prose"
            yield Finding(item.span.start, item.span.end, message)
        else:
            yield finding_for(item, verdict, f"{quoted(item.name)} is film vocabulary, not a Hailuo-02 directive")

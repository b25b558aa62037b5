"""HL105 unknown-film-term."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import PARAPHRASE, ItemKind
from hailuo_dsl.rules._names import finding_for
from hailuo_dsl.rules.base import Context, Finding, quoted, rule


@rule("HL105", "unknown-film-term", Severity.ERROR, "Film vocabulary the model does not take as a directive", fixable=True)
def unknown_film_term(ctx: Context) -> Iterator[Finding]:
    """Hailuo-02 knows fifteen directives, not the whole vocabulary of film. ``[Dolly in]`` is
    ``[Push in]``, ``[Crane up]`` is ``[Pedestal up]``, ``[Pan up]`` is ``[Tilt up]``,
    ``[Pull back]`` is ``[Pull out]``, ``[Dolly zoom]`` is ``[Push in, Zoom out]``, ``[跟拍]`` is
    ``[跟随]``; these are fixed. An orbit (``[Orbit]``, ``[Arc shot]``, ``[环绕]``) is a truck
    with a pan the other way, ``[Truck left, Pan right]``: the direction is a guess, so that fix is
    unsafe (``--unsafe-fixes``). ``[Whip pan]`` has no single equivalent: the message names the
    nearest directives. A directive said in other words (``[lateral truck right]``,
    ``[gentle pan to the left]``) is fixed to the directive, its adverbs moved into the prose.
    Moves with no equivalent at all (``[Dutch angle]``) belong in the prose.

    Bad:  ``A hiker reaches the summit [Crane up].``
    Good: ``A hiker reaches the summit [Pedestal up].``
    Bad:  ``A cat watches the birds [slow pull back].``
    Good: ``A cat watches the birds [Pull out] slowly.``
    Bad:  ``一个男孩在街上奔跑[跟拍]。``
    Good: ``一个男孩在街上奔跑[跟随]。``
    """
    for bracket, _index, item, verdict in ctx.of_kind(ItemKind.FILM_TERM):
        if verdict.directive is None and not verdict.suggestions:
            message = f"{quoted(item.name)} has no camera directive; describe it in the prose"
            yield Finding(item.span.start, item.span.end, message)
            continue
        if verdict.note == PARAPHRASE:
            message = f"{quoted(item.name)} says a directive in other words; the model reads it as plain text"
        else:
            message = f"{quoted(item.name)} is film vocabulary, not a Hailuo-02 directive"
        if verdict.hint:
            message += f": {verdict.hint}"
        yield finding_for(ctx, bracket, item, verdict, message)

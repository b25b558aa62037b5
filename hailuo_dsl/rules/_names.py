"""The shared checks behind the directive-name rules (HL101-HL107, HL401, HL402): a finding with
its did-you-mean, and the fix that writes the directive and moves any adverb into the prose."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix
from hailuo_dsl.prompt.classify import GUESS, Classification, ItemKind, classify
from hailuo_dsl.prompt.directives import BY_NAME, MAX_PER_BRACKET, STATIC, english, is_chinese
from hailuo_dsl.prompt.syntax import Bracket, Item
from hailuo_dsl.prompt.vocabulary import ADVERB_FORMS, ADVERBS, INTENSIFIERS
from hailuo_dsl.rules.base import Context, Finding, did_you_mean, quoted

_SENTENCE_END = ".!?\n\r。！？"
_FORMS = sorted({*ADVERB_FORMS.values(), *(w for w in ADVERBS if w.endswith("ly")), "fast", *INTENSIFIERS}, key=len, reverse=True)
_WORD = "(?:" + "|".join(re.escape(f) for f in _FORMS) + ")"
# The adverbs an earlier fix wrote after a bracket ("[Push in] slowly"): a later one joins them.
_ADVERB_RUN = re.compile(rf" {_WORD}(?:(?: and |, | ){_WORD})*(?![\w])")


def name_findings(ctx: Context, kind: ItemKind, message: str, *, safe: bool = True, skip_note: str = "") -> Iterator[Finding]:
    """One finding per item of ``kind``; a fix replaces the item when there is exactly one answer.

    ``message`` may use ``{name}`` (the item as written) and ends with a did-you-mean. Items whose
    note is ``skip_note`` belong to another rule.
    """
    for bracket, _index, item, verdict in ctx.of_kind(kind):
        if skip_note and verdict.note == skip_note:
            continue
        yield finding_for(ctx, bracket, item, verdict, message.format(name=quoted(item.name)), safe=safe)


def finding_for(
    ctx: Context, bracket: Bracket, item: Item, verdict: Classification, message: str, *, safe: bool = True
) -> Finding:
    """The finding on one item: its did-you-mean, and a fix when one directive is meant and fits
    the bracket. A likely reading among several (:data:`GUESS`) is an unsafe fix."""
    suggestions = verdict.suggestions or ((verdict.directive,) if verdict.directive else ())
    directive = verdict.directive
    if directive is None or verdict.note == GUESS:
        message += did_you_mean(verdict.suggestions)
    else:
        message += did_you_mean((directive,))
    if directive is None or not fits(bracket, item, directive):
        return Finding(item.span.start, item.span.end, message, None, suggestions)
    edits = [Edit(item.span.start, item.span.end, directive)]
    description = f"Replace with {quoted(directive)}"
    if verdict.extra:
        edits.append(adverb_edit(ctx.prompt.text, bracket, verdict.extra))
        description += f" and move '{verdict.extra}' into the prose"
    fix = Fix(description, tuple(edits), safe and verdict.note != GUESS)
    return Finding(item.span.start, item.span.end, message, fix, suggestions)


def fits(bracket: Bracket, item: Item, replacement: str) -> bool:
    """Whether writing ``replacement`` (one directive, or several: ``Push in, Zoom out``) for
    ``item`` keeps the bracket valid: at most three moves, none on an axis already taken, no
    move beside ``Static shot``."""
    if "," not in replacement:
        return True
    names = [n.strip() for n in replacement.split(",")]
    others = [classify(i.name).directive for i in bracket.items if i is not item]
    if len(others) + len(names) > MAX_PER_BRACKET:
        return False
    axes = {BY_NAME[n].axis for n in names if n in BY_NAME}
    for other in others:
        if other in BY_NAME and (BY_NAME[other].axis in axes or english(other) == STATIC):
            return False
    return True


def adverb_phrase(adverbs: str) -> str:
    """English adverbs as they read after a directive: ``Slow`` → ``slowly``, ``very slow smooth``
    → ``very slowly and smoothly``, ``small`` → ``slightly``."""
    groups: list[str] = []
    pending: list[str] = []
    for word in adverbs.lower().split():
        if word in INTENSIFIERS:
            pending.append(word)
            continue
        form = ADVERB_FORMS.get(word, word)
        if pending and form.startswith("a "):
            form = "a " + " ".join(pending) + " " + form[2:]
        elif pending:
            form = " ".join(pending) + " " + form
        pending = []
        groups.append(form)
    if pending:
        groups.append(" ".join(pending))
    return groups[0] if len(groups) == 1 else ", ".join(groups[:-1]) + " and " + groups[-1]


def adverb_edit(text: str, bracket: Bracket, adverbs: str) -> Edit:
    """Where the adverbs of a bracket's item go in the prose, so they read as the camera's.

    Chinese adverbs go before the bracket, as Chinese writes them before the verb (``缓慢[推进]``).
    English ones go after it, as after a verb (``[Push in] slowly``), never dangling before it
    where they would read as the subject's (``A man walks slow [Push in]``). A bracket that starts
    a sentence of its own (a capital follows) gets a full stop after its adverbs; adverbs already
    written after the bracket by an earlier fix are joined with ``and``.
    """
    if is_chinese(adverbs):
        return Edit(bracket.span.start, bracket.span.start, adverbs)
    phrase = adverb_phrase(adverbs)
    end = bracket.span.end
    run = _ADVERB_RUN.match(text, end)
    if run is not None:
        return Edit(run.end(), run.end(), f" and {phrase}")
    rest = text[end : end + 80]
    following = rest.lstrip(" \t")[:1]
    suffix = ""
    if following.isalnum():
        before = text[: bracket.span.start].rstrip(" \t")
        if following.isupper() and (not before or before[-1] in _SENTENCE_END):
            suffix = "."
        if rest[:1] not in (" ", "\t"):
            suffix += " "
    return Edit(end, end, f" {phrase}{suffix}")

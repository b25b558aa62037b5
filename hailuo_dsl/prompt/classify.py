"""What a bracket item is: a canonical directive, a near miss of one, or not a camera move at all.

Each distinct item text is classified once (memoised), so linting many prompts that share their
directives costs a dictionary look-up per item. The rules only read the classification. Both
languages of contract §6 are canonical: ``[Pan left]`` and ``[左摇]`` alike; a near miss keeps the
language it was written in (``[推镜]`` is ``[推进]``, never ``[Push in]``).
"""

from __future__ import annotations

import difflib
import enum
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from hailuo_dsl.prompt.directives import BY_CHINESE, BY_LOWER, BY_NAME, CATEGORIES, by_category, is_chinese
from hailuo_dsl.prompt.vocabulary import (
    ADVERBS,
    CHINESE_ADVERBS,
    CHINESE_FILM_TERMS,
    CHINESE_THEN,
    CHINESE_TRUNCATED,
    CHINESE_TYPOS,
    DIRECTIONS,
    FILLER,
    FILM_TERMS,
    HINTS,
    INTENSIFIERS,
    KNOWN_TYPOS,
    RECIPES,
    REDUNDANT,
    TRADITIONAL,
)


class ItemKind(enum.Enum):
    """What a bracket item is, as the rules read it: a directive, a near miss of one, or no move."""

    CANONICAL = "canonical"  # exactly as the model expects, in English or Chinese
    SPELLING = "spelling"  # right words, wrong case, hyphens or spacing: "pan left", "Zoom-in", "推進"
    TYPO = "typo"  # a known or near misspelling: "Push out", "Pan lfet", "推镜"; or a full-width comma
    TRUNCATED = "truncated"  # a prefix of a directive: "Static", "Pan", "变焦"
    CATEGORY = "category"  # a category label used as a name: "Follow"
    FILM_TERM = "film_term"  # film vocabulary the model does not know: "Dolly in", "Crane up", "跟拍"
    ADVERB = "adverb"  # a directive with an adverb: "Slow push in", "缓慢推进"
    THEN = "then"  # a sequence written inside one bracket: "then Zoom out", "然后拉远"
    PLACEHOLDER = "placeholder"  # an unfilled template slot: "SUBJECT_DESCRIPTION"
    LABEL = "label"  # a label, not a move: "Camera", "Shot 1", "镜头1"
    UNKNOWN = "unknown"

    # The rules look kinds up in dictionaries; Enum's own hash is a Python-level call, identity
    # hashing (consistent with Enum's identity equality) is not.
    __hash__ = object.__hash__


WIDE_COMMA = "wide-comma"
"""The ``note`` of a TYPO that is directives joined by a full-width comma (``左摇，上升``)."""
GUESS = "guess"
"""The ``note`` of a film term whose ``directive`` is a likely reading, not the only one."""
PARAPHRASE = "paraphrase"
"""The ``note`` of a directive said in other words: ``lateral truck right``, ``pan to the left``."""


@dataclass(frozen=True, slots=True)
class Classification:
    """The verdict on one item.

    ``directive`` is the canonical text the item stands for when there is exactly one (it may be a
    combination such as ``"Push in, Zoom out"`` for a dolly zoom); ``suggestions`` are the
    candidates to offer when there is no single answer. ``extra`` holds the adverb words around
    a move (ADVERB, and a near miss wrapped in adverbs: ``slow pull back``) or the text before
    ``then`` (THEN). ``note`` says how a TYPO was found (``known``, ``near``, :data:`WIDE_COMMA`),
    the sequence word of a THEN, or :data:`GUESS`.
    """

    kind: ItemKind
    directive: str | None = None
    suggestions: tuple[str, ...] = ()
    extra: str = ""
    note: str = ""
    hint: str = ""


LABEL_WORDS = re.compile(
    r"^(?:camera(?:\s+(?:movement|move|moves|motion|angle|work|direction))?|camera\s*:.*|shot\s*\d*.*"
    r"|scene\s*\d*.*|take\s*\d+|clip\s*\d*|part\s*\d+|act\s*\d+|intro|outro|transition|cut|fade(?:\s+\w+)?"
    r"|note\s*:.*|music|sfx|audio|voice\s*over|vo|narration|title|caption|subtitle|dialogue|style\s*:.*)$",
    re.IGNORECASE,
)
CHINESE_LABEL = re.compile(
    r"^(?:(?:镜头|分镜|场景|画面|片段|第)[\d一二三四五六七八九十]+(?:幕|场|个镜头|镜)?|旁白|字幕|音乐|音效|转场|镜头|分镜|运镜"
    r"|镜头运动|(?:镜头|运镜|场景|画面|分镜)[：:].*)$"
)
PLACEHOLDER = re.compile(
    r"^(?:[A-Z][A-Z0-9]*(?:[_ ][A-Z0-9]+)*|[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+|\.\.\.|…|x{3,}|insert\b.*|your\b.*|placeholder.*|\{.*\}|<.*>)$"
)
THEN = re.compile(r"^(?:(?P<before>.*?)\s+)??(?:and\s+)?then\s+(?P<after>.+)$", re.IGNORECASE)
CHINESE_THEN_RE = re.compile(r"^(?P<before>.*?)[\s，、]*(?P<word>" + "|".join(CHINESE_THEN) + r")[\s，、]*(?P<after>.+)$")
WIDE_COMMAS = "，、"
_WIDE_SPLIT = re.compile(f"[{WIDE_COMMAS}]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-]+")
_CANONICAL_LOWER = tuple(BY_LOWER)
_CATEGORY_MEMBERS: dict[str, tuple[str, ...]] = {c.lower(): tuple(d.name for d in by_category(c)) for c in CATEGORIES}
_NOT_MOVES = (ItemKind.UNKNOWN, ItemKind.PLACEHOLDER, ItemKind.LABEL)
_TRADITIONAL = str.maketrans(TRADITIONAL)
_SPACES = re.compile(r"\s+")


def _prefix_table() -> dict[str, tuple[str, ...]]:
    """Each text that starts directives (a whole first word, or three characters or more) with
    the directives it starts, in table order: truncations are found by one look-up."""
    table: dict[str, list[str]] = {}
    for lower, directive in BY_LOWER.items():
        for size in range(1, len(lower) + 1):
            if size >= 3 or lower[size] == " ":
                table.setdefault(lower[:size], []).append(directive.name)
    return {key: tuple(names) for key, names in table.items()}


_PREFIXES = _prefix_table()


def normalise(name: str) -> str:
    """Lower case, camelCase split, hyphens and underscores as single spaces."""
    return _SEPARATORS.sub(" ", _CAMEL.sub(" ", name)).strip().lower()


# The verdicts on the thirty canonical names, built once: most items are one of them.
_CANONICAL: dict[str, Classification] = {name: Classification(ItemKind.CANONICAL, name) for name in BY_NAME}


@lru_cache(maxsize=4096)
def classify(name: str) -> Classification:
    """Classify one bracket item (its text without the surrounding spaces)."""
    canonical = _CANONICAL.get(name)
    if canonical is not None:
        return canonical
    if is_chinese(name):
        return _classify_chinese(name)
    if "，" in name or "、" in name:
        wide = _wide_comma(name)
        if wide is not None:
            return wide
    key = normalise(name)
    exact = _as_directive(key)
    if exact is not None:
        return Classification(ItemKind.SPELLING, exact)
    then = THEN.match(name)
    if then is not None:
        return Classification(ItemKind.THEN, then.group("after").strip(), extra=(then.group("before") or "").strip())
    known = _near_miss(key)
    if known is not None:
        return known
    words = key.split(" ")
    around = _around_core(name, words)
    if around is not None:
        return around
    if PLACEHOLDER.match(name) and not name.isdigit():
        return Classification(ItemKind.PLACEHOLDER)
    if LABEL_WORDS.match(name):
        return Classification(ItemKind.LABEL)
    close = difflib.get_close_matches(key, _CANONICAL_LOWER, n=3, cutoff=0.75)
    if close:
        best = BY_LOWER[close[0]].name
        unique = (
            len(close) == 1
            or difflib.SequenceMatcher(None, key, close[0]).ratio() >= 0.85 > difflib.SequenceMatcher(None, key, close[1]).ratio()
        )
        return Classification(ItemKind.TYPO, best if unique else None, tuple(BY_LOWER[c].name for c in close), note="near")
    return Classification(ItemKind.UNKNOWN)


def is_move(verdict: Classification) -> bool:
    """Whether an item names a camera move, rightly or not (so it takes a place in the bracket)."""
    return verdict.kind not in _NOT_MOVES


def _as_directive(key: str) -> str | None:
    found = BY_LOWER.get(key)
    return found.name if found is not None else None


def _near_miss(key: str) -> Classification | None:
    """Known typos, truncations, category labels and film terms, looked up by normalised text."""
    if key in KNOWN_TYPOS:
        return Classification(ItemKind.TYPO, KNOWN_TYPOS[key], (KNOWN_TYPOS[key],), note="known")
    if key in FILM_TERMS:
        return _film_term(key, FILM_TERMS[key])
    members = _CATEGORY_MEMBERS.get(key)
    if members is not None:
        kind = ItemKind.CATEGORY if not any(m.lower().startswith(key) for m in members) else ItemKind.TRUNCATED
        return Classification(kind, members[0] if len(members) == 1 else None, members)
    names = _PREFIXES.get(key)
    if names is not None:
        return Classification(ItemKind.TRUNCATED, names[0] if len(names) == 1 else None, names)
    return None


def _film_term(key: str, options: tuple[str, ...]) -> Classification:
    hint = HINTS.get(key, "")
    if len(options) == 1:
        return Classification(ItemKind.FILM_TERM, options[0], options, hint=hint)
    if key in RECIPES:
        return Classification(ItemKind.FILM_TERM, options[0], options, note=GUESS, hint=hint)
    return Classification(ItemKind.FILM_TERM, None, options, hint=hint)


def _trim(words: list[str]) -> list[str]:
    """The words of a paraphrase that name the move: ``lateral truck right`` → ``truck right``,
    ``pan to the left`` → ``pan left``, ``tilt upwards`` → ``tilt up``."""
    out = []
    for i, word in enumerate(words):
        if word in REDUNDANT:
            continue
        if word in FILLER:
            following = next((w for w in words[i + 1 :] if w not in FILLER), "")
            if following in DIRECTIONS:
                continue
        out.append(DIRECTIONS.get(word, word))
    return out


def _around_core(name: str, words: list[str]) -> Classification | None:
    """A move wrapped in other words: adverbs (``Slow push in``, ``Pan left slowly``), words the
    directive already says (``lateral truck right``) or a paraphrase (``pan to the left``).

    Adverbs around a directive are an ADVERB; around a near miss (``slow pull back``) the near
    miss's own kind, so it keeps its severity; a paraphrase of a directive is a FILM_TERM.
    ``extra`` keeps the adverbs as written, for the fix to move into the prose.
    """
    lead = 0
    while lead < len(words) and words[lead] in ADVERBS:
        lead += 1
    trail = len(words)
    while trail > lead and words[trail - 1] in ADVERBS:
        trail -= 1
    if lead == trail:
        return None
    adverbs = words[:lead] + words[trail:]
    if adverbs and set(adverbs) <= INTENSIFIERS:
        return None
    original = name.split()
    if len(original) == len(words):
        adverbs = original[:lead] + original[trail:]
    extra = " ".join(adverbs)
    core_words = words[lead:trail]
    if adverbs:
        core = " ".join(core_words)
        exact = _as_directive(core)
        if exact is not None:
            return Classification(ItemKind.ADVERB, exact, (exact,), extra=extra)
        near = _near_miss(core)
        if near is not None:
            return replace(near, extra=extra)
    trimmed = _trim(core_words)
    if not trimmed or trimmed == core_words:
        return None
    core = " ".join(trimmed)
    exact = _as_directive(core)
    if exact is not None:
        return Classification(ItemKind.FILM_TERM, exact, (exact,), extra=extra, note=PARAPHRASE)
    near = _near_miss(core)
    if near is None:
        return None
    if near.directive is not None and near.note != GUESS:  # "Static camera shot": Static shot, said otherwise
        return Classification(ItemKind.FILM_TERM, near.directive, (near.directive,), extra=extra, note=PARAPHRASE)
    return replace(near, extra=extra)


def _wide_comma(name: str) -> Classification | None:
    """``左摇，上升``: moves joined by a full-width comma, which the model does not split on, so
    the bracket reads as one unknown name. A TYPO whose directive is the text with ``,``. One
    move among the parts is enough (``低角度，推进``): the comma still hides it, and once split
    the other parts are judged on their own."""
    raw = _WIDE_SPLIT.split(name)
    parts = [p.strip() for p in raw]
    # Only spaces and tabs may stand beside a comma: the grammar's comma takes no other blank.
    if any(p.strip(" \t") != s for p, s in zip(raw, parts, strict=True)):
        return None
    if not all(parts) or not any(is_move(classify(p)) for p in parts):
        return None
    return Classification(ItemKind.TYPO, _WIDE_SPLIT.sub(",", name), note=WIDE_COMMA)


# --- Chinese ---------------------------------------------------------------------------------


def _classify_chinese(name: str) -> Classification:
    then = CHINESE_THEN_RE.match(name)
    if then is not None and is_move(classify(then.group("after").strip())):
        before = then.group("before").strip()
        return Classification(ItemKind.THEN, then.group("after").strip(), extra=before, note=then.group("word"))
    if "，" in name or "、" in name:
        wide = _wide_comma(name)
        if wide is not None:
            return wide
    key = _SPACES.sub("", name).translate(_TRADITIONAL)
    if key in BY_CHINESE:  # spaces inside, or traditional characters: "推 进", "推進"
        return Classification(ItemKind.SPELLING, key)
    near = _chinese_near_miss(key)
    if near is not None:
        return near
    adverb = _chinese_adverb(key)
    if adverb is not None:
        return adverb
    if PLACEHOLDER.match(name):
        return Classification(ItemKind.PLACEHOLDER)
    if CHINESE_LABEL.match(key):
        return Classification(ItemKind.LABEL)
    return Classification(ItemKind.UNKNOWN)


def _chinese_variants(key: str) -> tuple[str, ...]:
    """The name, and the name without the words people add to it: ``镜头`` (shot) before or
    after, ``向`` (towards) before a direction. ``推镜头`` is also tried as ``推镜``: the two
    say the same (a push shot), and the short form is the one the near misses list."""
    core = key.removeprefix("镜头").removesuffix("镜头").removesuffix("拍摄")
    if core[:1] == "向" and core[1:2] in ("左", "右", "上", "下"):
        core = core[1:]
    short = key[:-1] if key.endswith("镜头") and len(key) > 2 else key
    return tuple(dict.fromkeys(v for v in (key, short, core) if v))


def _chinese_near_miss(key: str) -> Classification | None:
    """Chinese names with a word added (``推进镜头``), other words for the same move (``推镜``),
    film terms (``跟拍``) and truncations (``变焦``)."""
    for variant in _chinese_variants(key):
        if variant in BY_CHINESE:
            return Classification(ItemKind.TYPO, variant, (variant,), note="known")
        if variant in CHINESE_TYPOS:
            return Classification(ItemKind.TYPO, CHINESE_TYPOS[variant], (CHINESE_TYPOS[variant],), note="known")
        if variant in CHINESE_FILM_TERMS:
            return _film_term(variant, CHINESE_FILM_TERMS[variant])
        if variant in CHINESE_TRUNCATED:
            names = CHINESE_TRUNCATED[variant]
            return Classification(ItemKind.TRUNCATED, names[0] if len(names) == 1 else None, names)
    return None


def _chinese_adverb(key: str) -> Classification | None:
    """``缓慢推进``, ``慢慢地上升``: adverbs before a move (Chinese puts them there)."""
    adverbs, rest = "", key
    while True:
        found = next((a for a in CHINESE_ADVERBS if rest.startswith(a)), None)
        if found is None:
            break
        size = len(found) + (1 if rest[len(found) : len(found) + 1] == "地" else 0)
        adverbs, rest = adverbs + rest[:size], rest[size:]
    if not adverbs or not rest:
        return None
    if rest in BY_CHINESE:
        return Classification(ItemKind.ADVERB, rest, (rest,), extra=adverbs)
    near = _chinese_near_miss(rest)
    return replace(near, extra=adverbs) if near is not None else None

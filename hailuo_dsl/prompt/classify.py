"""What a bracket item is: a canonical directive, a near miss of one, or not a camera move at all.

Each distinct item text is classified once (memoised), so linting many prompts that share their
directives costs a dictionary look-up per item. The rules only read the classification.
"""

from __future__ import annotations

import difflib
import enum
import re
from dataclasses import dataclass
from functools import lru_cache

from hailuo_dsl.prompt.directives import BY_LOWER, BY_NAME, CATEGORIES, by_category


class ItemKind(enum.Enum):
    CANONICAL = "canonical"  # exactly as the model expects
    SPELLING = "spelling"  # right words, wrong case, hyphens or spacing: "pan left", "Zoom-in"
    TYPO = "typo"  # a known or near misspelling: "Push out", "Pan lfet"
    TRUNCATED = "truncated"  # a prefix of a directive: "Static", "Pan"
    CATEGORY = "category"  # a category label used as a name: "Follow"
    FILM_TERM = "film_term"  # film vocabulary the model does not know: "Dolly in", "Crane up"
    ADVERB = "adverb"  # a directive with an adverb: "Slow push in"
    THEN = "then"  # a sequence written inside one bracket: "then Zoom out"
    PLACEHOLDER = "placeholder"  # an unfilled template slot: "SUBJECT_DESCRIPTION"
    LABEL = "label"  # a label, not a move: "Camera", "Shot 1"
    UNKNOWN = "unknown"

    # The rules look kinds up in dictionaries; Enum's own hash is a Python-level call, identity
    # hashing (consistent with Enum's identity equality) is not.
    __hash__ = object.__hash__


@dataclass(frozen=True, slots=True)
class Classification:
    """The verdict on one item.

    ``directive`` is the canonical text the item stands for when there is exactly one (it may be a
    combination such as ``"Push in, Zoom out"`` for a dolly zoom); ``suggestions`` are the
    candidates to offer when there is no single answer. ``extra`` holds the adverb words (ADVERB)
    or the text before ``then`` (THEN).
    """

    kind: ItemKind
    directive: str | None = None
    suggestions: tuple[str, ...] = ()
    extra: str = ""
    note: str = ""


# Misspellings seen in public prompts and in the official documentation itself.
KNOWN_TYPOS: dict[str, str] = {
    "push out": "Pull out",
    "pull in": "Push in",
    "tilt left": "Pan left",
    "tilt right": "Pan right",
    "truck up": "Pedestal up",
    "truck down": "Pedestal down",
    "static shoot": "Static shot",
    "tracking shoot": "Tracking shot",
    "track shot": "Tracking shot",
    "shaking": "Shake",
    "shake shot": "Shake",
    "pedestral up": "Pedestal up",
    "pedestral down": "Pedestal down",
    "peddle up": "Pedestal up",
    "peddle down": "Pedestal down",
}

# Film vocabulary with the directive that says the same thing to Hailuo-02 (a unique answer is
# applied as a fix) or the candidates to choose from (no single answer, so no automatic fix).
FILM_TERMS: dict[str, tuple[str, ...]] = {
    "dolly in": ("Push in",),
    "dolly forward": ("Push in",),
    "dolly out": ("Pull out",),
    "dolly back": ("Pull out",),
    "dolly backward": ("Pull out",),
    "dolly left": ("Truck left",),
    "dolly right": ("Truck right",),
    "dolly zoom": ("Push in, Zoom out",),
    "vertigo effect": ("Push in, Zoom out",),
    "track in": ("Push in",),
    "track out": ("Pull out",),
    "track left": ("Truck left",),
    "track right": ("Truck right",),
    "truck in": ("Push in",),
    "truck out": ("Pull out",),
    "push forward": ("Push in",),
    "push back": ("Pull out",),
    "pull back": ("Pull out",),
    "pull away": ("Pull out",),
    "move in": ("Push in",),
    "move out": ("Pull out",),
    "move left": ("Truck left",),
    "move right": ("Truck right",),
    "crane up": ("Pedestal up",),
    "crane down": ("Pedestal down",),
    "boom up": ("Pedestal up",),
    "boom down": ("Pedestal down",),
    "jib up": ("Pedestal up",),
    "jib down": ("Pedestal down",),
    "rise up": ("Pedestal up",),
    "pan up": ("Tilt up",),
    "pan down": ("Tilt down",),
    "crash zoom": ("Zoom in",),
    "snap zoom": ("Zoom in",),
    "follow shot": ("Tracking shot",),
    "following shot": ("Tracking shot",),
    "follow cam": ("Tracking shot",),
    "steadicam": ("Tracking shot",),
    "handheld": ("Shake",),
    "hand held": ("Shake",),
    "handheld shot": ("Shake",),
    "shaky cam": ("Shake",),
    "camera shake": ("Shake",),
    "still": ("Static shot",),
    "still shot": ("Static shot",),
    "locked off": ("Static shot",),
    "locked shot": ("Static shot",),
    "fixed shot": ("Static shot",),
    "static camera": ("Static shot",),
    "whip pan": ("Pan left", "Pan right"),
    "swish pan": ("Pan left", "Pan right"),
    "orbit": ("Truck left, Pan right", "Truck right, Pan left"),
    "orbit shot": ("Truck left, Pan right", "Truck right, Pan left"),
    "arc shot": ("Truck left, Pan right", "Truck right, Pan left"),
    "360 shot": ("Truck left, Pan right", "Truck right, Pan left"),
    "crane shot": ("Pedestal up", "Pedestal down"),
    "dutch angle": (),
    "roll": (),
    "aerial shot": (),
    "drone shot": (),
}

ADVERBS: frozenset[str] = frozenset(
    """slow slowly slight slightly quick quickly fast rapid rapidly gentle gently smooth smoothly
    sudden suddenly subtle subtly gradual gradually steady steadily dramatic dramatically soft
    softly very extreme extremely continuous continuously constant constantly small big large
    long short brief briefly swift swiftly sharp sharply""".split()
)

LABEL_WORDS = re.compile(
    r"^(?:camera(?:\s+(?:movement|move|moves|motion|angle|work|direction))?|camera\s*:.*|shot\s*\d*.*"
    r"|scene\s*\d*.*|take\s*\d+|clip\s*\d*|part\s*\d+|act\s*\d+|intro|outro|transition|cut|fade(?:\s+\w+)?"
    r"|note\s*:.*|music|sfx|audio|voice\s*over|vo|narration|title|caption|subtitle|dialogue|style\s*:.*)$",
    re.IGNORECASE,
)
PLACEHOLDER = re.compile(
    r"^(?:[A-Z0-9]+(?:[_ ][A-Z0-9]+)*|[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+|\.\.\.|…|x{3,}|insert\b.*|your\b.*|placeholder.*|\{.*\}|<.*>)$"
)
THEN = re.compile(r"^(?:(?P<before>.*?)\s+)??(?:and\s+)?then\s+(?P<after>.+)$", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-]+")
_CANONICAL_LOWER = tuple(BY_LOWER)
_CATEGORY_MEMBERS: dict[str, tuple[str, ...]] = {c.lower(): tuple(d.name for d in by_category(c)) for c in CATEGORIES}


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


# The verdicts on the fifteen canonical names, built once: most items are one of them.
_CANONICAL: dict[str, Classification] = {name: Classification(ItemKind.CANONICAL, name) for name in BY_NAME}


@lru_cache(maxsize=4096)
def classify(name: str) -> Classification:
    """Classify one bracket item (its text without the surrounding spaces)."""
    canonical = _CANONICAL.get(name)
    if canonical is not None:
        return canonical
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
    adverb = _with_adverbs(name, words)
    if adverb is not None:
        return adverb
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


def _as_directive(key: str) -> str | None:
    found = BY_LOWER.get(key)
    return found.name if found is not None else None


def _near_miss(key: str) -> Classification | None:
    """Known typos, truncations, category labels and film terms, looked up by normalised text."""
    if key in KNOWN_TYPOS:
        return Classification(ItemKind.TYPO, KNOWN_TYPOS[key], (KNOWN_TYPOS[key],), note="known")
    if key in FILM_TERMS:
        options = FILM_TERMS[key]
        return Classification(ItemKind.FILM_TERM, options[0] if len(options) == 1 else None, options)
    members = _CATEGORY_MEMBERS.get(key)
    if members is not None:
        kind = ItemKind.CATEGORY if not any(m.lower().startswith(key) for m in members) else ItemKind.TRUNCATED
        return Classification(kind, members[0] if len(members) == 1 else None, members)
    names = _PREFIXES.get(key)
    if names is not None:
        return Classification(ItemKind.TRUNCATED, names[0] if len(names) == 1 else None, names)
    return None


def _with_adverbs(name: str, words: list[str]) -> Classification | None:
    """``Slow push in`` / ``Pan left slowly``: adverbs around something that is a directive."""
    lead = 0
    while lead < len(words) and words[lead] in ADVERBS:
        lead += 1
    trail = len(words)
    while trail > lead and words[trail - 1] in ADVERBS:
        trail -= 1
    if (lead == 0 and trail == len(words)) or lead == trail:
        return None
    core = " ".join(words[lead:trail])
    inner = _as_directive(core)
    if inner is None:
        near = _near_miss(core)
        inner = near.directive if near is not None and near.kind is not ItemKind.FILM_TERM else None
    if inner is None:
        return None
    adverbs = words[:lead] + words[trail:]
    original = name.split()
    if len(original) == len(words):
        adverbs = original[:lead] + original[trail:]
    return Classification(ItemKind.ADVERB, inner, (inner,), extra=" ".join(adverbs))

"""Lint benchmark: how the full linter compares with a bare regular expression and with Lark.

Run: ``python benchmarks/lint.py``. One run over one set of generated prompts (seeded: 2,000
characters each, about ten brackets, realistic prose with CJK and emoji, directives and some near
misses) prints the median time per prompt of:

- (a) a bare regular-expression scan of the brackets, ``re.findall(r"\\[[^\\[\\]]*\\]", p)``;
- (b) Lark's Earley parser on ``grammar/prompt.lark``;
- (c) the full ``lint`` (parse + every rule), cold (each prompt linted once, never seen before,
  with the classification cache cleared: the headline) and warm (the same prompt again, caches hot);
- (d) Lark's LALR parser on the same grammar, alone;

then prompts per second of (c), the ratios (c)/(a) and (b)/(c), the targets and whether they are met.
Times are the process's CPU time, so other work on the machine does not inflate them.
"""

from __future__ import annotations

import gc
import random
import re
import statistics
import time
from collections.abc import Callable

from hailuo_dsl import lint, parse_prompt
from hailuo_dsl.prompt.classify import classify
from hailuo_dsl.prompt.grammar import earley_parser, lalr_parser

SEED = 2026
PROMPTS = 200
LENGTH = 2000
BRACKETS = 10
NEAR_MISS_SHARE = 0.2
MAX_RATIO_TO_REGEX = 80  # (c) <= 80 x (a)
MIN_EARLEY_RATIO = 20  # (b) / (c) >= 20

# CPU time of this process: the figures stay meaningful on a machine busy with other work.
_clock = time.process_time

BRACKET_RE = re.compile(r"\[[^\[\]]*\]")


def regex_scan(prompt: str) -> list[str]:
    """Measure (a) as stated: ``re.findall`` with the pattern text (re's own cache compiles it once)."""
    return re.findall(r"\[[^\[\]]*\]", prompt)


SUBJECTS = [
    "A lone astronaut",
    "An old fisherman",
    "A golden retriever",
    "A young girl in a yellow raincoat",
    "A street vendor",
    "A red fox",
    "Two dancers",
    "A lighthouse keeper",
    "A cyclist",
    "A paper lantern",
    "一只白猫",
    "雨の東京の女性",
]
ACTIONS = [
    "walks slowly across a wind-swept dune",
    "mends a torn net on the wooden pier",
    "runs through a field of sunflowers",
    "looks up at the first snow of winter",
    "pours steaming tea into a chipped cup",
    "leaps over a frozen stream",
    "spins under a single spotlight",
    "climbs the spiral staircase to the lamp",
    "weaves through evening traffic",
    "drifts above the river at night",
    "在窗台上慢慢伸懒腰",
    "が傘をさして歩く",
]
DETAILS = [
    "golden light spills over the horizon",
    "neon signs flicker in the puddles",
    "dust swirls around her boots",
    "gulls wheel above the harbour",
    "the crowd cheers in the distance",
    "steam curls up from the street grates",
    "petals drift down in the breeze",
    "rain streaks the glass 🌧️",
    "a butterfly lands on the railing 🦋",
    "“not yet,” she whispers",
    "the city hums below",
    "霓虹灯在雨中闪烁",
]
DIRECTIVES = [
    "Truck left",
    "Truck right",
    "Pan left",
    "Pan right",
    "Push in",
    "Pull out",
    "Pedestal up",
    "Pedestal down",
    "Tilt up",
    "Tilt down",
    "Zoom in",
    "Zoom out",
    "Shake",
    "Tracking shot",
    "Static shot",
]
NEAR_MISSES = [
    "Push out",
    "pan left",
    "Pan Left",
    "Tilt Left",
    "Static",
    "Zoom",
    "Follow",
    "Dolly in",
    "Crane up",
    "Whip pan",
    "Orbit",
    "Slow push in",
    "slight pan right",
    "Zoom-in",
    "Pan lfet",
    "Static shot, then Zoom out",
    "Camera",
    "SUBJECT_DESCRIPTION",
    "golden light",
    "Pedestral up",
]


def _prose(rng: random.Random, size: int) -> str:
    """About ``size`` characters of prompt prose (never a bracket), cut to exactly ``size``."""
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}, {rng.choice(DETAILS)}. "
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)[:size]


def _bracket(rng: random.Random) -> str:
    if rng.random() < NEAR_MISS_SHARE:
        return f"[{rng.choice(NEAR_MISSES)}]"
    names = rng.sample(DIRECTIVES, rng.choice((1, 1, 1, 2, 2, 3)))
    return "[" + rng.choice((", ", ",")).join(names) + "]"


def generate(rng: random.Random) -> str:
    """One prompt of exactly LENGTH characters with BRACKETS brackets spread through the prose."""
    brackets = [_bracket(rng) for _ in range(BRACKETS)]
    prose = LENGTH - sum(len(b) for b in brackets)
    cuts = sorted(rng.sample(range(1, prose), BRACKETS))
    text = _prose(rng, prose)
    pieces = []
    start = 0
    for cut, bracket in zip(cuts, brackets, strict=True):
        pieces += [text[start:cut], bracket]
        start = cut
    pieces.append(text[start:])
    prompt = "".join(pieces)
    assert len(prompt) == LENGTH and prompt.count("[") == BRACKETS
    return prompt


def timed(work: Callable[[str], object], prompt: str, repeat: int) -> float:
    """Seconds per call of ``work`` on ``prompt`` (the mean of ``repeat`` calls)."""
    start = _clock()
    for _ in range(repeat):
        work(prompt)
    return (_clock() - start) / repeat


def lint_cold(prompt: str) -> float:
    """Seconds to lint a prompt never seen before, with nothing about its items cached."""
    classify.cache_clear()
    start = _clock()
    lint(prompt)
    return _clock() - start


def measure(prompts: list[str]) -> dict[str, list[float]]:
    """Seconds per prompt of each measure. The linter and the regular expression are timed on
    one prompt after the other, so a change in the machine's load touches them alike. The cold
    lint of a prompt comes first, right after an (untimed) lint of the previous prompt, as when
    a folder of new prompts is linted. Lark's parsers, far slower, run in a second pass. As in
    ``timeit``, the garbage collector is off while timing (it runs between the passes only: a full
    collection after every prompt would empty the processor's caches before each cold lint)."""
    close: dict[str, tuple[Callable[[str], object], int]] = {
        "regex": (regex_scan, 500),
        "compiled": (BRACKET_RE.findall, 500),
        "warm": (lint, 20),
        "parse": (parse_prompt, 20),
    }
    lark: dict[str, tuple[Callable[[str], object], int]] = {
        "lalr": (lalr_parser().parse, 3),
        "earley": (earley_parser().parse, 1),
    }
    times: dict[str, list[float]] = {key: [] for key in ("cold", *close, *lark)}
    gc.collect()
    gc.disable()
    try:
        previous = prompts[-1]
        for prompt in prompts:
            lint(previous)
            times["cold"].append(lint_cold(prompt))
            for key, (work, repeat) in close.items():
                times[key].append(timed(work, prompt, repeat))
            previous = prompt
        for key, (work, repeat) in lark.items():
            times[key] = [timed(work, prompt, repeat) for prompt in prompts]
            gc.collect()
    finally:
        gc.enable()
    return times


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:10.3f} ms"


def main() -> None:
    rng = random.Random(SEED)
    prompts = [generate(rng) for _ in range(PROMPTS)]
    # Process-level set-up (grammar tables, compiled terminals, the rule plan) on a prompt outside the set.
    warmup = generate(random.Random(SEED + 1))
    lint(warmup)
    lalr_parser().parse(warmup)
    earley_parser().parse(warmup)

    medians = {key: statistics.median(values) for key, values in measure(prompts).items()}
    regex, earley, cold, warm = medians["regex"], medians["earley"], medians["cold"], medians["warm"]
    lalr, fast_parse = medians["lalr"], medians["parse"]

    near = sum(1 for p in prompts for b in BRACKET_RE.findall(p) if b[1:-1] in NEAR_MISSES)
    print(
        f"Lint benchmark: {PROMPTS} generated prompts of {LENGTH} characters, {BRACKETS} brackets each "
        f"(seed {SEED}; {near} of {PROMPTS * BRACKETS} brackets are near misses)"
    )
    print("Median time per prompt:")
    print(f"  (a) regular-expression bracket scan   {_ms(regex)}   (re.findall(pattern, p))")
    print(f"      the same, pattern precompiled     {_ms(medians['compiled'])}")
    print(f"  (b) Lark Earley parse                 {_ms(earley)}")
    print(f"  (c) full lint, cold (headline)        {_ms(cold)}   {1 / cold:8.0f} prompts/s")
    print(f"      full lint, warm                   {_ms(warm)}   {1 / warm:8.0f} prompts/s")
    print(f"  (d) Lark LALR parse alone             {_ms(lalr)}")
    print(f"      the linter's parser alone         {_ms(fast_parse)}")
    to_regex = cold / regex
    earley_ratio = earley / cold
    print("Ratios (cold lint):")
    verdict = "MET" if to_regex <= MAX_RATIO_TO_REGEX else "NOT MET"
    print(f"  (c)/(a) = {to_regex:6.1f}x   target <= {MAX_RATIO_TO_REGEX}x   {verdict}")
    verdict = "MET" if earley_ratio >= MIN_EARLEY_RATIO else "NOT MET"
    print(f"  (b)/(c) = {earley_ratio:6.1f}x   target >= {MIN_EARLEY_RATIO}x   {verdict}")
    print(f"  (warm lint: (c)/(a) = {warm / regex:.1f}x, (b)/(c) = {earley / warm:.1f}x)")


if __name__ == "__main__":
    main()

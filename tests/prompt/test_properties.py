"""Properties of the parser, linter, fixes and formatter on arbitrary Unicode text and on text built
from prompt pieces (directives in English and Chinese, near misses, brackets, commas, prose, CJK,
emoji), and on text built from Chinese pieces alone (full-width brackets and commas, 然后)."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hailuo_dsl import Severity, fix, format_prompt, lint, parse_prompt
from hailuo_dsl.diagnostics import Diagnostic, apply_edits
from hailuo_dsl.prompt.classify import ItemKind, classify
from hailuo_dsl.prompt.directives import NAMES
from hailuo_dsl.prompt.parser import parse_prompt_lalr
from hailuo_dsl.prompt.syntax import Bracket, Nested, Prompt, StrayClose, Text
from hailuo_dsl.prompt.vocabulary import KNOWN_TYPOS

CANONICAL = list(NAMES)
NEAR_MISSES = [
    *(name.lower() for name in CANONICAL),
    *(name.title() for name in CANONICAL),
    *KNOWN_TYPOS,
    "Zoom-in",
    "PushIn",
    "Static",
    "Pan",
    "Zoom",
    "Follow",
    "Dolly in",
    "Crane up",
    "Pan up",
    "Pull back",
    "Whip pan",
    "Orbit",
    "Dutch angle",
    "Slow push in",
    "slight pan right",
    "Pan left slowly",
    "then Zoom out",
    "and then Tilt up",
    "Push in then Pan left",
    "SUBJECT_DESCRIPTION",
    "CAMERA_COMMAND",
    "...",
    "Camera",
    "Shot 1",
    "Scene 2: beach",
    "bustling crowd",
    "Pan lfet",
    "Pedestral up",
    "slow pull back",
    "lateral truck right",
    "gentle pan to the left",
    "Orbit left",
    "Slow orbit",
    "Dolly zoom",
    "very slow push in",
    "Tilt upwards",
    "",
    " ",
]
CHINESE_NEAR_MISSES = [
    "推镜",
    "推进镜头",
    "固定镜头",
    "向左摇",
    "推進",
    "推 进",
    "缓慢推进",
    "缓缓地上升",
    "缓慢推镜",
    "然后拉远",
    "推进，然后拉远",
    "推进 然后 拉远",
    "左摇，上升",
    "左摇、上升",
    "左摇 ， 上升",
    "Pan left，Tilt up",
    "跟拍",
    "环绕",
    "希区柯克变焦",
    "变焦",
    "推",
    "镜头1",
    "特写",
    "随后的日子",
    "猫，狗",
]
NEAR_MISSES += CHINESE_NEAR_MISSES
PROSE = [
    "A lamb stands on the grass",
    "a man picks up a book",
    ", then reads",
    ".",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "the camera pans left",
    "the camera stays still",
    "雨の東京の夜",
    "ネオンが光る，",
    "🦋",
    "👩\u200d🚀",
    "“quoted”",
    "# TODO: fix",
    "// note",
    "{topic}",
    "<SUBJECT>",
    "http://example.com/a#b",
    "é",
    "一只猫在窗台上睡觉",
    "，然后",
    "然后",
    "。",
    "【注意】",
]
# Whitespace that is not a space or a tab: names may hold it inside but not at their ends.
ODD_SPACES = ["\u00a0", "\x0c", "\x0b", "\u2028", "\x85", "\u3000", "\r"]
SEPARATORS = [",", ", ", " ,", " , ", ",,", "\t,", "", *(f",{space}" for space in ODD_SPACES)]
PUNCTUATION = [
    "[",
    "]",
    "[ ",
    " ]",
    ",",
    "[]",
    "[[",
    "]]",
    "] [",
    "][",
    "【",
    "】",
    "［",
    "］",
    "，",
    "、",
    "【推进】",
    "【左摇，上升】",
]


@st.composite
def brackets(draw: st.DrawFn) -> str:
    """A bracket of 0-5 items, with any separators and spaces, sometimes left open."""
    items = draw(st.lists(st.sampled_from(CANONICAL + NEAR_MISSES), max_size=5))
    inner = ""
    for i, item in enumerate(items):
        inner += (draw(st.sampled_from(SEPARATORS)) if i else "") + item
    pad = st.sampled_from(["", " ", "  ", "\t", *ODD_SPACES])
    close = draw(st.sampled_from(["]", "]", "]", "", "\n"]))
    return "[" + draw(pad) + inner + draw(pad) + close


prompt_like = st.lists(
    st.one_of(
        brackets(),
        st.sampled_from(PROSE),
        st.sampled_from(PUNCTUATION),
        st.sampled_from(ODD_SPACES),
        st.text(max_size=6),
    ),
    max_size=14,
).map("".join)


@st.composite
def chinese_brackets(draw: st.DrawFn) -> str:
    """A bracket of Chinese names and near misses, in ASCII or full-width brackets, joined by
    ASCII or full-width commas."""
    items = draw(st.lists(st.sampled_from([d for d in CANONICAL if not d.isascii()] + CHINESE_NEAR_MISSES), max_size=4))
    inner = ""
    for i, item in enumerate(items):
        inner += (draw(st.sampled_from([",", "，", "、", ", ", "，然后"])) if i else "") + item
    opening, closing = draw(st.sampled_from([("[", "]"), ("[", "]"), ("【", "】"), ("［", "］"), ("[", ""), ("【", "]")]))
    return opening + inner + closing


chinese_like = st.lists(
    st.one_of(chinese_brackets(), st.sampled_from([*PROSE[-5:], "女孩慢慢长大", "，", "。", " ", "\n", "Slow push in"])),
    max_size=10,
).map("".join)

any_text = st.text()
texts = st.one_of(any_text, prompt_like, chinese_like)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_tree(prompt: Prompt) -> None:
    """Pieces tile the text in order; every span lies inside its parent."""
    text = prompt.text
    pos = 0
    for piece in prompt.pieces:
        assert piece.span.start == pos, (piece, pos)
        assert piece.span.start < piece.span.end <= len(text)
        if isinstance(piece, Text):
            assert piece.value == text[piece.span.start : piece.span.end]
            assert "[" not in piece.value and "]" not in piece.value
        elif isinstance(piece, StrayClose):
            assert text[piece.span.start : piece.span.end] == "]"
        elif isinstance(piece, Bracket):
            assert text[piece.span.start] == "["
            assert piece.closed == (text[piece.span.end - 1] == "]")
            assert len(piece.slots) == len(piece.separators) + 1
            inner = piece.inner
            for item in piece.items:
                assert inner.start <= item.span.start < item.span.end <= inner.end
                assert item.name == text[item.span.start : item.span.end] == item.name.strip()
            for sep in piece.separators:
                assert inner.start <= sep.start < sep.end <= inner.end
                assert "," in text[sep.start : sep.end]
        else:
            assert isinstance(piece, Nested)
        pos = piece.span.end
    assert pos == len(text)


def _check_diagnostics(text: str, found: list[Diagnostic]) -> None:
    assert found == sorted(found, key=lambda d: (d.start, d.code))
    for d in found:
        assert 0 <= d.start <= d.end <= len(text), d
        if d.fix is not None:
            edits = sorted(d.fix.edits, key=lambda e: (e.start, e.end))
            for e in edits:
                assert 0 <= e.start <= e.end <= len(text), d
            for a, b in pairwise(edits):
                assert a.end <= b.start, d


@SETTINGS
@given(texts)
@example("[Push in, Zoom out]")
@example("一只猫【左摇，上升】然后[推进，然后拉远]")
@example("A boat [Pan left [Zoom in]].")
@example("[a [b] c]\n]")
@example("[ ,\t, ]")
def test_parser_and_linter_never_raise_and_stay_inside_the_text(text: str) -> None:
    prompt = parse_prompt(text)
    assert prompt.text == text
    _check_tree(prompt)
    _check_diagnostics(text, lint(text))
    _check_diagnostics(text, lint(text, duration=10, require_text=False))


@SETTINGS
@given(texts)
@example("[Pan left,]")
@example("[ Pan left ,Pedestal Up ]")
@example("[\t]")
@example("x ]] [[ y")
def test_fast_parser_equals_lalr_reference(text: str) -> None:
    assert parse_prompt(text) == parse_prompt_lalr(text)


@SETTINGS
@given(texts)
@example("A door opens [and then Tilt up]")
@example("[Slow push in][pan left,, Static]")
@example("[Slow push in, gentle pan left] at dusk [slow pull back]")
@example("女孩[缓慢推镜]【左摇、上升】")
def test_fix_is_idempotent(text: str) -> None:
    once = fix(text)
    assert fix(once) == once
    unsafe = fix(text, unsafe=True)
    assert fix(unsafe, unsafe=True) == unsafe


@SETTINGS
@given(texts)
def test_format_is_idempotent(text: str) -> None:
    once = format_prompt(text)
    assert format_prompt(once) == once


def _directives(prompt: Prompt) -> list[list[str]]:
    """Each bracket's items, recognised directives by their canonical name, others as written."""
    out = []
    for bracket in prompt.brackets:
        names = []
        for item in bracket.items:
            verdict = classify(item.name)
            recognised = verdict.kind in (ItemKind.CANONICAL, ItemKind.SPELLING) and verdict.directive is not None
            names.append(verdict.directive if recognised and verdict.directive else item.name)
        out.append(names)
    return out


def _prose(prompt: Prompt) -> list[tuple[str, str]]:
    """Everything outside brackets, in order: prose, stray ``]`` and nested brackets as written."""
    return [(type(p).__name__, prompt.text[p.span.start : p.span.end]) for p in prompt.pieces if not isinstance(p, Bracket)]


@SETTINGS
@given(texts)
@example("[ pan left ,Pedestal Up ] and [Dolly in]")
def test_format_keeps_directives_and_prose(text: str) -> None:
    before, after = parse_prompt(text), parse_prompt(format_prompt(text))
    assert _directives(after) == _directives(before)
    assert _prose(after) == _prose(before)
    assert [b.closed for b in after.brackets] == [b.closed for b in before.brackets]


def _errors_touching(found: list[Diagnostic], start: int, end: int) -> Counter[str]:
    return Counter(d.code for d in found if d.severity is Severity.ERROR and d.start <= end and d.end >= start)


# The rules on moves that run together read only closed brackets of recognised names, so repairing
# a name or closing a bracket can reveal what the bracket already said: ``[Pan left, Pan rihgt]``
# becomes the contradiction ``[Pan left, Pan right]``; closing ``[Pan left, Tilt up, Zoom in, Shake``
# shows four moves. That is the prompt's own error, now visible, not one the fix made.
REVEALED = {"HL201", "HL203", "HL204"}
# Writing a full-width comma or bracket in ASCII splits what the model read as one unknown name
# into names of its own, whose own errors now show: ``[推，移]`` becomes ``[推,移]``, two truncations.
NAME_CODES = {"HL101", "HL102", "HL103", "HL104", "HL105", "HL106", "HL107", "HL301"}
REVEALED_BY = {"HL006": NAME_CODES, "HL007": NAME_CODES}


@SETTINGS
@given(texts)
@example("[Push in [Pan left] x")
@example("[Tilt up, Tilt up] [and then Zoom in]")
@example("[]")
@example("[Truck left,Truck left,Truck left,Truck left")
@example("[推，移]")
def test_a_fix_makes_no_new_error_where_it_edits(text: str) -> None:
    found = lint(text)
    for d in found:
        if d.fix is None:
            continue
        edits = d.fix.edits
        new_text = apply_edits(text, edits)
        growth = sum(len(e.text) - (e.end - e.start) for e in edits)
        start, end = d.fix.start, d.fix.end
        before = _errors_touching(found, start, end)
        after = _errors_touching(lint(new_text), start, end + growth)
        new = {code for code in after - before if code not in REVEALED | REVEALED_BY.get(d.code, set())}
        assert not new, (d, new_text, new)

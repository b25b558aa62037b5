"""Positions and the choice of fixes, held to plain reference definitions on generated text:
lines end at LF, CRLF or a lone CR (as editors count them), columns count code points and UTF-16
units; fixes are chosen first come, first served, none touching another."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix, Severity
from hailuo_dsl.prompt.fixes import choose_fixes
from hailuo_dsl.prompt.positions import LineIndex

TEXT = st.text(alphabet=st.sampled_from(list("ab [\n\r猫🐈\u2028\x85\t")), max_size=60)


@given(TEXT, st.data())
def test_positions_follow_the_editors_line_ends(text: str, data: st.DataObject) -> None:
    index = LineIndex(text)
    at = data.draw(st.integers(0, len(text)))
    inside_crlf = text[at - 1 : at + 1] == "\r\n"
    lines = re.split(r"\r\n|\r|\n", text[: at - 1] if inside_crlf else text[:at])
    column = lines[-1] + ("\r" if inside_crlf else "")
    pos = index.position(at)
    assert (pos.line, pos.column, pos.utf16) == (len(lines) - 1, len(column), len(column.encode("utf-16-le")) // 2)
    assert index.offset(pos.line, pos.utf16) == at
    shown = re.split(r"\r\n|\r|\n", text)
    assert [index.line_text(n) for n in range(len(index.line_starts))] == shown
    assert index.offset(pos.line, 10_000) == index.line_starts[pos.line] + len(shown[pos.line]) + (
        1 if text[index.line_starts[pos.line] + len(shown[pos.line]) :].startswith("\r\n") else 0
    )


def test_a_long_line_with_emoji_far_along() -> None:
    text = "猫" * 100_000 + "🐈" + "a" * 100_000 + "🐈x"
    index = LineIndex(text)
    end = index.position(len(text) - 1)
    assert (end.line, end.column, end.utf16) == (0, 200_002, 200_004)
    assert index.offset(0, 200_004) == len(text) - 1


_EDIT = st.tuples(st.integers(0, 30), st.integers(0, 3))


@st.composite
def _fixes(draw: st.DrawFn) -> list[Diagnostic]:
    found = []
    for _ in range(draw(st.integers(0, 10))):
        starts = sorted(draw(st.lists(_EDIT, min_size=1, max_size=3)))
        edits, last = [], -2
        for start, width in starts:
            if start > last + 1:  # the edits of one fix neither overlap nor touch
                edits.append(Edit(start, start + width, "x"))
                last = start + width
        safe = draw(st.booleans())
        found.append(Diagnostic("HL101", "n", Severity.WARNING, "m", 0, 0, Fix("f", tuple(edits), safe)))
    return found


def _reference(diagnostics: list[Diagnostic], unsafe: bool) -> list[Diagnostic]:
    """The definition: each fix against every range taken before it."""
    taken: list[tuple[int, int]] = []
    chosen = []
    for diag in diagnostics:
        assert diag.fix is not None
        if not (diag.fix.safe or unsafe):
            continue
        ranges = [(e.start, e.end) for e in diag.fix.edits]
        if any(a <= d and c <= b for a, b in ranges for c, d in taken):
            continue
        taken.extend(ranges)
        chosen.append(diag)
    return chosen


@given(_fixes(), st.booleans())
def test_the_fixes_chosen_are_the_definitions(diagnostics: list[Diagnostic], unsafe: bool) -> None:
    assert choose_fixes(diagnostics, unsafe) == _reference(diagnostics, unsafe)

"""The linter on real prompts written by others (``tests/prompt/real/prompts.toml``: each with its
source and the codes a careful reviewer would expect).

For every prompt: linting does not fail, every span lies inside the text, the fixes are idempotent,
and the ERROR/WARNING codes found equal ``expected``. A prompt marked ``known_gap`` is a
disagreement left on purpose (the row says why); the test asserts it still differs, so closing the
gap shows up here and the row is updated.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from hailuo_dsl import fix, lint
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules import BY_CODE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

DATA = Path(__file__).resolve().parent / "real" / "prompts.toml"
ROWS: list[dict[str, Any]] = tomllib.loads(DATA.read_text(encoding="utf-8"))["prompt"]
COMPARED = (Severity.ERROR, Severity.WARNING)


def _id(n: int, row: dict[str, Any]) -> str:
    return f"{n:03d}-" + "-".join(row["expected"] or ["clean"])


PARAMS = [pytest.param(row, id=_id(n, row)) for n, row in enumerate(ROWS, 1)]


def test_the_collection_is_well_formed() -> None:
    assert 60 <= len(ROWS) <= 120
    assert len({row["text"] for row in ROWS}) == len(ROWS), "a prompt is listed twice"
    assert len({row["source"] for row in ROWS}) >= 10
    for row in ROWS:
        assert set(row) <= {"text", "source", "expected", "why", "known_gap"}, row["text"]
        assert row["text"].strip() and row["source"].strip() and row["why"].strip()
        assert row["expected"] == sorted(set(row["expected"])), f"expected is sorted and distinct: {row['text']!r}"
        assert all(code in BY_CODE for code in row["expected"]), row["expected"]
    # Both languages and both outcomes are represented.
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in row["text"]) for row in ROWS)
    assert sum(not row["expected"] for row in ROWS) >= len(ROWS) // 3
    assert sum(bool(row["expected"]) for row in ROWS) >= 20


@pytest.mark.parametrize("row", PARAMS)
def test_real_prompt(row: dict[str, Any]) -> None:
    text = row["text"]
    found = lint(text)
    for d in found:
        assert 0 <= d.start <= d.end <= len(text), f"{d.code} span {d.start}-{d.end} outside the text"
    for unsafe in (False, True):
        once = fix(text, unsafe=unsafe)
        assert fix(once, unsafe=unsafe) == once, "fix is not idempotent"
    codes = sorted({d.code for d in found if d.severity in COMPARED})
    if "known_gap" in row:
        assert row["known_gap"].strip()
        assert codes != row["expected"], f"known gap closed ({row['known_gap']}); update the row: {codes}"
    else:
        assert codes == row["expected"], row["why"]

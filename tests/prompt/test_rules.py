"""Every rule, tested from data: the cases in ``tests/prompt/cases/*.toml`` (one file per family).

Each ``[[case]]`` holds:

- ``rule``: the code the case is about (every rule needs a failing and a passing case);
- ``prompt``: the text linted (``prompt-times = N`` repeats it, for the length rule);
- ``expect``: every diagnostic the whole linter reports, in order, as ``"CODE L:C-L:C"``
  (one-based lines and columns in code points, the end exclusive); ``[]`` for a clean prompt;
- ``fixed``: the text after ``fix`` (safe fixes until stable); absent means unchanged;
- ``unsafe-fixed``: the text after ``fix(..., unsafe=True)``; absent means the same as ``fixed``;
- optional ``duration`` (6 or 10), ``require-text`` (false when a first frame is given),
  ``config`` (a ``[tool.hailuo]`` table) and ``note``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hailuo_dsl import RULES, LineIndex, LintConfig, fix, lint
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.rules import BY_CODE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

CASES_DIR = Path(__file__).resolve().parent / "cases"

# Every rule that checks a prompt's text; the ``.shot`` script rules (no prompt check) are tested
# with scripts.
PROMPT_RULES = [r for r in RULES if r.check is not None]


@dataclass(frozen=True)
class Case:
    """One row of the case files, with the defaults filled in."""

    id: str
    rule: str
    text: str
    expect: list[str]
    fixed: str
    unsafe_fixed: str
    unsafe_given: bool
    duration: int | None
    require_text: bool
    config: LintConfig


def _case(where: str, row: dict[str, Any]) -> Case:
    text = row["prompt"] * row.get("prompt-times", 1)
    fixed = row.get("fixed", text)
    return Case(
        id=f"{where}-{row['rule']}",
        rule=row["rule"],
        text=text,
        expect=list(row["expect"]),
        fixed=fixed,
        unsafe_fixed=row.get("unsafe-fixed", fixed),
        unsafe_given="unsafe-fixed" in row,
        duration=row.get("duration"),
        require_text=row.get("require-text", True),
        config=LintConfig.model_validate(row.get("config", {})),
    )


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        rows = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
        cases.extend(_case(f"{path.stem}{n}", row) for n, row in enumerate(rows, 1))
    return cases


CASES = load_cases()


def describe(text: str, diagnostics: list[Diagnostic]) -> list[str]:
    """Diagnostics as ``CODE L:C-L:C`` (one-based, code points), the form the case files use."""
    index = LineIndex(text)

    def at(offset: int) -> str:
        pos = index.position(offset)
        return f"{pos.line + 1}:{pos.column + 1}"

    return [f"{d.code} {at(d.start)}-{at(d.end)}" for d in diagnostics]


def run(case: Case) -> list[Diagnostic]:
    return lint(case.text, case.config, duration=case.duration, require_text=case.require_text)


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    for rule in PROMPT_RULES:
        mine = [c for c in CASES if c.rule == rule.code]
        assert any(any(e.startswith(rule.code + " ") for e in c.expect) for c in mine), f"{rule.code} has no failing case"
        assert any(not any(e.startswith(rule.code + " ") for e in c.expect) for c in mine), f"{rule.code} has no passing case"


def test_cases_name_known_rules() -> None:
    assert len(PROMPT_RULES) >= 25
    assert {c.rule for c in CASES} <= {r.code for r in PROMPT_RULES}
    assert all(re.fullmatch(r"HL\d{3} \d+:\d+-\d+:\d+", e) for c in CASES for e in c.expect)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_diagnostics(case: Case) -> None:
    assert describe(case.text, run(case)) == case.expect


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fix(case: Case) -> None:
    assert fix(case.text, case.config, duration=case.duration) == case.fixed
    assert fix(case.text, case.config, duration=case.duration, unsafe=True) == case.unsafe_fixed


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_diagnostics_carry_their_rule(case: Case) -> None:
    for d in run(case):
        rule = BY_CODE[d.code]
        assert d.name == rule.name
        assert d.severity is case.config.severity.get(d.code, rule.severity)
        assert d.message and "\n" not in d.message
        assert 0 <= d.start <= d.end <= len(case.text)
        if not rule.fixable:
            assert d.fix is None, f"{d.code} is declared without a fix but offers one"
        if d.fix is not None and not d.fix.safe:
            assert case.unsafe_given, f"{d.code} offers an unsafe fix: give the case its unsafe-fixed text"


def test_every_fixable_rule_has_a_case_its_fix_changes() -> None:
    for rule in PROMPT_RULES:
        if not rule.fixable:
            continue
        fixed_by_rule = [
            c
            for c in CASES
            if c.fixed != c.text and any(d.code == rule.code and d.fix is not None and d.fix.safe for d in run(c))
        ]
        assert fixed_by_rule, f"{rule.code} is fixable but no case shows its fix"


# The examples in each rule's explanation (``Bad:`` / ``Good:`` lines, as ``hailuo rule`` shows
# them) are checked too: the bad one triggers the rule and the good one does not.
_EXAMPLE = re.compile(r"^(Bad|Good|Before|After)[^:]*:\s+``(.+)``$", re.MULTILINE)


@pytest.mark.parametrize("rule", PROMPT_RULES, ids=[r.code for r in PROMPT_RULES])
def test_explanation_examples(rule: Any) -> None:
    for kind, example in _EXAMPLE.findall(rule.explanation):
        text = example.replace("\\n", "\n")
        codes = [d.code for d in lint(text)]
        if kind in ("Bad", "Before"):
            assert rule.code in codes, f"{rule.code}: the bad example is not reported: {text!r}"
        else:
            assert rule.code not in codes, f"{rule.code}: the good example is reported: {text!r}"

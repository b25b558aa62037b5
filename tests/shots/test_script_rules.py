"""Every script rule (HL6xx, HL7xx), tested from data: the cases in ``tests/shots/cases/*.toml``.

Each ``[[case]]`` is a small project written to a fresh folder, and what the tools report on it:

- ``rule``: the code the case is about (every script rule needs a failing and a passing case);
- ``script``: the text of ``a.shot``; ``{NAME}`` stands for a ``fill`` entry, ``NAME = [text, times]``;
- ``spec``: the text of the shot-spec beside it, ``a.toml`` (``spec-name`` names it otherwise);
  the script names it with its own ``spec`` line;
- ``frames``: image files to draw, by path: ``"WxH"``, then optionally a format (``PNG``,
  ``JPEG``, ``WEBP``, ``GIF``; else the one the extension says), ``truncated`` (cut in half) and
  ``N MB`` (padded to that weight); or ``"empty"`` (0 bytes);
- what is reported, in order, as ``"CODE L:C-L:C"`` (one-based lines and columns in code points,
  the end exclusive; ``FILE:L:C-L:C`` for a finding in another file), optionally followed by the
  exact message (``{dir}`` stands for the folder): ``syntax`` for the parser's findings,
  ``lint`` for ``hailuo lint``'s, ``compile`` for ``hailuo compile``'s (with ``compiled``, the
  shots that compile; and the compile's ``overrides`` and ``shots`` when given);
- ``fixed``: the script after ``hailuo lint --fix`` (absent: unchanged); ``unsafe-fixed`` with
  unsafe fixes too (absent: the same as ``fixed``);
- optional ``config`` (a ``[tool.hailuo]`` table, for lint and compile) and ``note``.

``gate.toml`` holds cases of the prompt rules in a script: what the lint gate of ``hailuo compile``
(and so of ``render`` and ``submit``) reports and stops, beside what ``hailuo lint`` reports.

The examples in each rule's explanation (``hailuo rule CODE``) run too: the ``Bad:`` one is reported
by the rule, the ``Good:`` one is not.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from images_util import make_image, truncate

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.documents import DocumentKind, fix_document, lint_document
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.rules import BY_CODE, RULES, Rule, Scope
from hailuo_dsl.shots import compile_script, parse_script

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

CASES_DIR = Path(__file__).resolve().parent / "cases"
SCRIPT_RULES = [r for r in RULES if any(scope is not Scope.PROMPT for scope, _check in r.checks)]
"""The rules that read a script, a spec, a shot or a frame (HL501 and HL502 read a prompt too)."""
EXPLAINED = [r for r in SCRIPT_RULES if r.check is None]
"""The rules whose explanation shows scripts (those of the prompt rules show prompts)."""
KINDS = ("syntax", "lint", "compile")


@dataclass(frozen=True)
class Case:
    """One row of the case files."""

    id: str
    row: dict[str, Any]

    @property
    def rule(self) -> str:
        return str(self.row["rule"])

    @property
    def script(self) -> str:
        text = str(self.row["script"])
        for name, (piece, times) in self.row.get("fill", {}).items():
            text = text.replace("{" + name + "}", piece * times)
        return text

    @property
    def config(self) -> LintConfig:
        return LintConfig.model_validate(self.row.get("config", {}))

    def reported(self) -> list[str]:
        """Every code the case expects reported, by any of the tools."""
        return [e.split(" ", 1)[0] for kind in KINDS for e in self.row.get(kind, [])]


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        rows = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
        cases.extend(Case(f"{path.stem}{n}-{row['rule']}", row) for n, row in enumerate(rows, 1))
    return cases


CASES = load_cases()


def draw(path: Path, what: str) -> None:
    """Make a frame file as a case or an example describes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if what == "empty":
        path.write_bytes(b"")
        return
    words = what.split()
    width, height = (int(n) for n in words[0].split("x"))
    formats = [w for w in words[1:] if w in ("PNG", "JPEG", "WEBP", "GIF")]
    extension = path.suffix.lower().lstrip(".")
    fmt = formats[0] if formats else {"jpg": "JPEG", "jpeg": "JPEG"}.get(extension, extension.upper())
    make_image(path, (width, height), fmt)
    if "truncated" in words:
        truncate(path, 0.5)
    weight = re.search(r"([\d.]+) MB", what)
    if weight is not None:  # data after the end of an image is not damage: pad with it
        with path.open("ab") as handle:
            handle.write(b"\0" * max(0, int(float(weight.group(1)) * 1_000_000) - path.stat().st_size))


def write_project(root: Path, script: str, spec: str | None, spec_name: str, frames: dict[str, str]) -> Path:
    path = root / "a.shot"
    path.write_text(script, encoding="utf-8")
    if spec is not None:
        (root / spec_name).write_text(spec, encoding="utf-8")
    for name, what in frames.items():
        draw(root / name, what)
    return path


def describe(root: Path, text: str, diagnostics: list[Diagnostic]) -> list[tuple[str, str]]:
    """Each diagnostic as ``(CODE [FILE:]L:C-L:C, message)``, the form the case files use."""
    out = []
    for d in diagnostics:
        shown, prefix = text, ""
        if d.path is not None:
            shown, prefix = Path(d.path).read_text(encoding="utf-8"), Path(d.path).name + ":"
        index = LineIndex(shown)
        start, end = index.position(d.start), index.position(d.end)
        out.append((f"{d.code} {prefix}{start.line + 1}:{start.column + 1}-{end.line + 1}:{end.column + 1}", d.message))
    return out


EXPECTED = re.compile(r"(?P<at>HL\d{3} (?:[^:]+:)?\d+:\d+-\d+:\d+)(?: (?P<message>.+))?")


def check(expected: list[str], actual: list[tuple[str, str]], root: Path) -> None:
    """The codes and places in order; the messages where the case gives them."""
    parts = [EXPECTED.fullmatch(e) for e in expected]
    assert all(parts), expected
    assert [at for at, _message in actual] == [p["at"] for p in parts if p is not None]
    for part, (_at, message) in zip(parts, actual, strict=True):
        if part is not None and part["message"] is not None:
            assert message == part["message"].replace("{dir}", str(root.resolve()))


def run(case: Case, root: Path) -> dict[str, list[Diagnostic]]:
    """What each tool the case names reports on its project."""
    row = case.row
    path = write_project(root, case.script, row.get("spec"), row.get("spec-name", "a.toml"), row.get("frames", {}))
    found: dict[str, list[Diagnostic]] = {}
    if "syntax" in row:
        found["syntax"] = parse_script(case.script, path).diagnostics
    if "lint" in row:
        found["lint"] = lint_document(case.script, DocumentKind.SHOT, case.config, path)
    if "compile" in row:
        result = compile_script(path, overrides=row.get("overrides"), shots=row.get("shots"), config=case.config)
        found["compile"] = result.diagnostics
        assert [s.name for s in result.shots] == row.get("compiled", [s.name for s in result.shots])
    return found


def test_every_script_rule_has_a_failing_and_a_passing_case() -> None:
    for rule in SCRIPT_RULES:
        mine = [c for c in CASES if c.rule == rule.code]
        assert any(rule.code in c.reported() for c in mine), f"{rule.code} has no failing case"
        assert any(rule.code not in c.reported() for c in mine), f"{rule.code} has no passing case"


def test_cases_are_well_formed() -> None:
    """Cases are about the script rules, or about a prompt rule in a script (``gate.toml``)."""
    assert {c.rule for c in CASES if not c.id.startswith("gate")} <= {r.code for r in SCRIPT_RULES}
    assert {c.rule for c in CASES} <= set(BY_CODE)
    for case in CASES:
        assert any(kind in case.row for kind in KINDS), case.id
        for kind in KINDS:
            for e in case.row.get(kind, []):
                assert EXPECTED.fullmatch(e), e


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_findings(case: Case, tmp_path: Path) -> None:
    for kind, found in run(case, tmp_path).items():
        check(case.row[kind], describe(tmp_path, case.script, found), tmp_path)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_findings_carry_their_rule(case: Case, tmp_path: Path) -> None:
    for kind, found in run(case, tmp_path).items():
        for d in found:
            rule = BY_CODE[d.code]
            assert d.name == rule.name
            configured = case.config.severity.get(d.code, rule.severity)
            assert d.severity is (rule.severity if kind == "syntax" or (kind == "compile" and rule.enforced) else configured)
            assert d.message and "\n" not in d.message
            assert 0 <= d.start <= d.end
            if not rule.fixable:
                assert d.fix is None, f"{d.code} is declared without a fix but offers one"
            if d.fix is not None and not d.fix.safe and d.path is None:
                assert "unsafe-fixed" in case.row, f"{d.code} offers an unsafe fix: give the case its unsafe-fixed text"


@pytest.mark.parametrize("case", [c for c in CASES if {"lint", "fixed", "unsafe-fixed"} & set(c.row)], ids=lambda c: c.id)
def test_fix(case: Case, tmp_path: Path) -> None:
    path = write_project(tmp_path, case.script, case.row.get("spec"), case.row.get("spec-name", "a.toml"), {})
    fixed = case.row.get("fixed", case.script)
    assert fix_document(case.script, DocumentKind.SHOT, case.config, path).text == fixed
    assert fix_document(case.script, DocumentKind.SHOT, case.config, path, unsafe=True).text == case.row.get(
        "unsafe-fixed", fixed
    )


def test_every_fixable_rule_has_a_case_its_fix_changes() -> None:
    for rule in SCRIPT_RULES:
        if rule.fixable:
            assert any(c.rule == rule.code and {"fixed", "unsafe-fixed"} & set(c.row) for c in CASES), (
                f"{rule.code} is fixable but no case shows its fix"
            )


# -- the examples of each rule's explanation -----------------------------------------------------------

_EXAMPLE = re.compile(r"^(Bad|Good)[^\n]*:\n\n((?:(?:    [^\n]*)?\n)+)", re.MULTILINE)
_SPEC_PART = re.compile(r"^# (\S+\.toml)$", re.MULTILINE)
_FRAME = re.compile(r"(\S*-(\d+x\d+)\.(?:png|jpg|jpeg|webp|gif))\"?(?:[ \t]+#[ \t]*([\d.]+ MB))?")


def examples(rule: Rule) -> list[tuple[str, str]]:
    """The rule's ``Bad:`` and ``Good:`` examples: each an indented block after its label."""
    found = [
        (kind, "\n".join(line[4:] for line in block.rstrip("\n").split("\n")))
        for kind, block in _EXAMPLE.findall(rule.explanation + "\n")
    ]
    assert {kind for kind, _ in found} == {"Bad", "Good"}, f"{rule.code}: give a Bad: and a Good: example, each an indented block"
    return found


def run_example(root: Path, example: str) -> list[str]:
    """The codes ``hailuo lint`` reports on an example: a script, then optionally a spec file after
    a ``# NAME.toml`` line; each frame whose name gives its size (``girl-480x640.png``) is drawn,
    as heavy as a ``# N MB`` comment after it says."""
    split = _SPEC_PART.search(example)
    script = example if split is None else example[: split.start()]
    root.mkdir(parents=True)
    if split is not None:
        (root / split.group(1)).write_text(example[split.end() + 1 :] + "\n", encoding="utf-8")
    for name, size, weight in _FRAME.findall(example):
        draw(root / name.strip('"'), size + (f" {weight}" if weight else ""))
    path = root / "example.shot"
    path.write_text(script.rstrip("\n") + "\n", encoding="utf-8")
    return [d.code for d in lint_document(path.read_text(encoding="utf-8"), DocumentKind.SHOT, None, path)]


@pytest.mark.parametrize("rule", EXPLAINED, ids=[r.code for r in EXPLAINED])
def test_explanation_examples(rule: Rule, tmp_path: Path) -> None:
    for n, (kind, example) in enumerate(examples(rule)):
        codes = run_example(tmp_path / str(n), example)
        if kind == "Bad":
            assert rule.code in codes, f"{rule.code}: the bad example is not reported:\n{example}"
        else:
            assert rule.code not in codes, f"{rule.code}: the good example is reported:\n{example}"

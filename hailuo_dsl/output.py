"""Reports of diagnostics: human text with a caret excerpt, JSON, SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hailuo_dsl.diagnostics import Diagnostic, Severity
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.rules import RULES
from hailuo_dsl.version import version

FORMATS = ("text", "json", "sarif", "github")


@dataclass(slots=True)
class FileReport:
    """The diagnostics of one file, with its text for positions and excerpts."""

    path: str
    text: str
    diagnostics: list[Diagnostic]
    index: LineIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = LineIndex(self.text)


def _counts(reports: Sequence[FileReport]) -> dict[Severity, int]:
    counts = {s: 0 for s in Severity}
    for report in reports:
        for d in report.diagnostics:
            counts[d.severity] += 1
    return counts


def render(
    reports: Sequence[FileReport], fmt: str, *, color: bool = False, summary: bool = False, fixed: int = 0, would_fix: int = 0
) -> str:
    """The whole report in ``fmt`` (one of :data:`FORMATS`), ending with a line break when not empty.

    With ``summary`` the text report also says when all is well ("All checks passed!") and how
    many problems ``--fix`` fixed (``fixed``) or ``--diff`` would fix (``would_fix``).
    """
    if fmt in ("json", "sarif"):
        import json

        data: Any = [_json(r, d) for r in reports for d in r.diagnostics] if fmt == "json" else _sarif(reports)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(_github(r, d) + "\n" for r in reports for d in r.diagnostics)
    text = _text(reports)
    if summary:
        if fixed:
            text += f"Fixed {_problems(fixed)}.\n"
        if would_fix:
            text += f"Would fix {_problems(would_fix)}.\n"
        if not any(r.diagnostics for r in reports):
            text += "All checks passed!\n"
    return text


def _problems(count: int) -> str:
    return f"{count} problem{'s' if count != 1 else ''}"


def _text(reports: Sequence[FileReport]) -> str:
    lines: list[str] = []
    fixable = 0
    for report in reports:
        for d in report.diagnostics:
            start = report.index.position(d.start)
            end = report.index.position(d.end)
            lines.append(f"{report.path}:{start.line + 1}:{start.column + 1}: {d.code} [{d.severity.value}] {d.message}")
            source = report.index.line_text(start.line)
            stop = end.column if end.line == start.line else len(source)
            width = max(1, display_width(source[start.column : stop]))
            lines.append(f"  {source}")
            lines.append(f"  {' ' * display_width(source[: start.column])}{'^' * width}")
            if d.fix is not None:
                fixable += 1
                lines.append(f"  fix{'' if d.fix.safe else ' (unsafe)'}: {d.fix.description}")
    counts = _counts(reports)
    total = sum(counts.values())
    if total:
        parts = ", ".join(f"{n} {s.value}{'s' if n != 1 and s is not Severity.INFO else ''}" for s, n in counts.items() if n)
        tail = f"; {fixable} fixable with --fix" if fixable else ""
        lines.append(f"Found {_problems(total)} ({parts}){tail}.")
    return "\n".join(lines) + ("\n" if lines else "")


def display_width(text: str) -> int:
    """Terminal columns: wide (CJK, emoji) characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text.replace("\t", " "))


def _location(report: FileReport, d: Diagnostic) -> dict[str, int]:
    start = report.index.position(d.start)
    end = report.index.position(d.end)
    return {
        "line": start.line + 1,
        "column": start.column + 1,
        "end_line": end.line + 1,
        "end_column": end.column + 1,
        "utf16_column": start.utf16 + 1,
        "utf16_end_column": end.utf16 + 1,
    }


def _json(report: FileReport, d: Diagnostic) -> dict[str, Any]:
    fix = None
    if d.fix is not None:
        fix = {
            "description": d.fix.description,
            "safe": d.fix.safe,
            "edits": [{"start": e.start, "end": e.end, "text": e.text} for e in d.fix.edits],
        }
    return {
        "path": report.path,
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "message": d.message,
        **_location(report, d),
        "start": d.start,
        "end": d.end,
        "suggestions": list(d.suggestions),
        "fix": fix,
    }


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _sarif(reports: Sequence[FileReport]) -> dict[str, Any]:
    rules = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.explanation},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
            "helpUri": f"https://pypi.org/project/hailuo-dsl/#{r.code.lower()}",
        }
        for r in RULES
    ]
    index = {r.code: i for i, r in enumerate(RULES)}
    results = []
    for report in reports:
        for d in report.diagnostics:
            loc = _location(report, d)
            results.append(
                {
                    "ruleId": d.code,
                    "ruleIndex": index.get(d.code, -1),
                    "level": _SARIF_LEVEL[d.severity],
                    "message": {"text": d.message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": report.path},
                                "region": {
                                    "startLine": loc["line"],
                                    "startColumn": loc["utf16_column"],
                                    "endLine": loc["end_line"],
                                    "endColumn": loc["utf16_end_column"],
                                },
                            }
                        }
                    ],
                }
            )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "hailuo-dsl", "version": version(), "rules": rules}},
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _github(report: FileReport, d: Diagnostic) -> str:
    loc = _location(report, d)

    def esc(value: str, prop: bool = False) -> str:
        value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return value.replace(":", "%3A").replace(",", "%2C") if prop else value

    return (
        f"::{_GITHUB_LEVEL[d.severity]} file={esc(report.path, True)},line={loc['line']},col={loc['column']},"
        f"endLine={loc['end_line']},endColumn={loc['end_column']},title={esc(d.code + ' ' + d.name, True)}::{esc(d.message)}"
    )


__all__ = ["FORMATS", "FileReport", "display_width", "render"]

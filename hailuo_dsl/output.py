"""Reports of diagnostics: human text with a caret excerpt, JSON, SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hailuo_dsl import rules as registry
from hailuo_dsl.diagnostics import Diagnostic, Severity
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.textfile import printable
from hailuo_dsl.version import version

FORMATS = ("text", "json", "sarif", "github")
MAX_FINDINGS = 200
"""Findings shown per file by default, in every format; the rest are counted (a file of 20,000
unclosed brackets gives a short report). ``max_findings=0`` shows them all."""
EXCERPT = 100
"""Characters of a line a text report shows around a finding; a longer line is cut around it."""


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
    reports: Sequence[FileReport],
    fmt: str,
    *,
    color: bool = False,
    summary: bool = False,
    fixed: int = 0,
    would_fix: int = 0,
    max_findings: int = MAX_FINDINGS,
) -> str:
    """The whole report in ``fmt`` (one of :data:`FORMATS`), ending with a line break when not empty.

    With ``summary`` the text report also says when all is well ("All checks passed!") and how
    many problems ``--fix`` fixed (``fixed``) or ``--diff`` would fix (``would_fix``). At most
    ``max_findings`` findings of a file are shown (0: all); each format says how many are not
    (JSON, a list of findings, cannot: see :func:`hidden_findings`).
    """
    if fmt in ("json", "sarif"):
        import json

        data: Any = (
            [_json(r, d) for r in reports for d in shown(r, max_findings)] if fmt == "json" else _sarif(reports, max_findings)
        )
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        lines: list[str] = []
        for r in reports:
            lines.extend(_github(r, d) for d in shown(r, max_findings))
            hidden = len(r.diagnostics) - len(shown(r, max_findings))
            if hidden:
                lines.append(f"::notice file={_escape(r.path, True)}::{_escape(_hidden_note(r.path, hidden))}")
        return "".join(line + "\n" for line in lines)
    text = _text(reports, max_findings)
    if summary:
        if fixed:
            text += f"Fixed {_problems(fixed)}.\n"
        if would_fix:
            text += f"Would fix {_problems(would_fix)}.\n"
        if not any(r.diagnostics for r in reports):
            text += "All checks passed!\n"
    return text


def shown(report: FileReport, max_findings: int) -> list[Diagnostic]:
    """The findings of a file a report shows: the first ``max_findings`` (all for 0)."""
    return report.diagnostics[:max_findings] if max_findings > 0 else report.diagnostics


def hidden_findings(reports: Sequence[FileReport], max_findings: int = MAX_FINDINGS) -> list[str]:
    """One line for each file whose findings are not all shown (for a JSON report, to print
    on standard error)."""
    notes = []
    for r in reports:
        hidden = len(r.diagnostics) - len(shown(r, max_findings))
        if hidden:
            notes.append(_hidden_note(r.path, hidden))
    return notes


def _hidden_note(path: str, hidden: int) -> str:
    return f"{path}: {hidden} more finding{'s' if hidden != 1 else ''} not shown (--max-findings 0 shows all)"


def _problems(count: int) -> str:
    return f"{count} problem{'s' if count != 1 else ''}"


def _text(reports: Sequence[FileReport], max_findings: int) -> str:
    lines: list[str] = []
    fixable = 0
    for report in reports:
        path = printable(report.path)
        for d in report.diagnostics:
            if d.fix is not None:
                fixable += 1
        for d in shown(report, max_findings):
            start = report.index.position(d.start)
            end = report.index.position(d.end)
            lines.append(f"{path}:{start.line + 1}:{start.column + 1}: {d.code} [{d.severity.value}] {printable(d.message)}")
            lines.extend(_excerpt(report.index, start.line, start.column, end.column if end.line == start.line else None))
            if d.fix is not None:
                lines.append(f"  fix{'' if d.fix.safe else ' (unsafe)'}: {printable(d.fix.description)}")
        hidden = len(report.diagnostics) - len(shown(report, max_findings))
        if hidden:
            lines.append(printable(_hidden_note(report.path, hidden)))
    counts = _counts(reports)
    total = sum(counts.values())
    if total:
        parts = ", ".join(f"{n} {s.value}{'s' if n != 1 and s is not Severity.INFO else ''}" for s, n in counts.items() if n)
        tail = f"; {fixable} fixable with --fix" if fixable else ""
        lines.append(f"Found {_problems(total)} ({parts}){tail}.")
    return "\n".join(lines) + ("\n" if lines else "")


def _excerpt(index: LineIndex, line: int, start: int, stop: int | None) -> tuple[str, str]:
    """The line of a finding and its carets, cut to about :data:`EXCERPT` characters around
    the finding when the line is longer (marked with ``…``), control characters made visible."""
    first = index.line_starts[line]
    size = index.line_end(line) - first
    stop = size if stop is None else stop
    left = max(0, min(start - EXCERPT // 4, size - EXCERPT))
    right = min(size, left + EXCERPT)
    text = index.text
    cut = first + max(start, min(stop, right))
    before = printable(text[first + left : first + start]).replace("\t", " ")
    marked = printable(text[first + start : cut]).replace("\t", " ")
    after = printable(text[cut : first + right]).replace("\t", " ")
    lead = "…" if left > 0 else ""
    tail = "…" if right < size else ""
    width = max(1, display_width(marked))
    return f"  {lead}{before}{marked}{after}{tail}", f"  {' ' * display_width(lead + before)}{'^' * width}"


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


def _sarif(reports: Sequence[FileReport], max_findings: int) -> dict[str, Any]:
    rules = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.explanation},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
            "helpUri": f"https://pypi.org/project/hailuo-dsl/#{r.code.lower()}",
        }
        for r in registry.RULES
    ]
    index = {r.code: i for i, r in enumerate(registry.RULES)}
    results = []
    notes = []
    for report in reports:
        hidden = len(report.diagnostics) - len(shown(report, max_findings))
        if hidden:
            notes.append(
                {
                    "level": "note",
                    "message": {"text": _hidden_note(report.path, hidden)},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": report.path}}}],
                }
            )
        for d in shown(report, max_findings):
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
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "hailuo-dsl", "version": version(), "rules": rules}},
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
    if notes:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": notes}]
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape(value: str, prop: bool = False) -> str:
    """A value in a workflow command: ``%``, line breaks (and in properties ``:`` and ``,``) escaped."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def _github(report: FileReport, d: Diagnostic) -> str:
    loc = _location(report, d)
    return (
        f"::{_GITHUB_LEVEL[d.severity]} file={_escape(report.path, True)},line={loc['line']},col={loc['column']},"
        f"endLine={loc['end_line']},endColumn={loc['end_column']},title={_escape(d.code + ' ' + d.name, True)}::{_escape(d.message)}"
    )


__all__ = [
    "EXCERPT",
    "FORMATS",
    "MAX_FINDINGS",
    "FileReport",
    "display_width",
    "hidden_findings",
    "render",
    "shown",
]

"""Linting an open document for publishing: its findings as protocol diagnostics grouped by the
file they lie in, and the files the lint read (so a change to one re-lints the document).
Runs on the server's lint thread; scripts are linted incrementally (``incremental``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.documents import DocumentKind, lint_document, offered_fixes
from hailuo_dsl.lsp.convert import to_lsp_diagnostic, to_range
from hailuo_dsl.lsp.incremental import ScriptLinter
from hailuo_dsl.lsp.watch import Stamp, file_key, stamps
from hailuo_dsl.prompt.positions import LineIndex

MAX_PUBLISHED = 1000
"""Diagnostics published per file at most: an editor shows no more usefully, and converting and
sending tens of thousands (a generated multi-megabyte file) would stall every other request."""


@dataclass(slots=True)
class Linted:
    """What one lint of a document gives: diagnostics by file (None: the document itself), the
    files it read with their stamps from before it read them, and how long it took."""

    by_file: dict[str | None, list[types.Diagnostic]]
    read: dict[Path, Stamp]
    seconds: float


def lint_for_publishing(
    text: str,
    kind: DocumentKind,
    config: LintConfig,
    path: Path | None,
    version: int | None,
    config_files: tuple[Path, ...],
    linter: ScriptLinter,
    held: dict[str, str],
) -> Linted:
    """Lint a document and convert its findings to protocol diagnostics. A script is linted
    incrementally by ``linter`` (its pieces kept between lints); ``held`` are the texts of the
    files the editor has open (a spec open there is read from it)."""
    started = time.perf_counter()
    read = stamps(config_files)
    if kind is DocumentKind.PROMPT:
        found = lint_document(text, kind, config, path)
        return Linted(publishable(found, text, version), read, time.perf_counter() - started)
    result = linter.lint(text, path, config, lambda wanted: held.get(file_key(wanted)))
    read.update(result.read)
    others = {str(result.spec_path): result.spec_text} if result.spec_path is not None and result.spec_text is not None else {}
    found = offered_fixes(text, result.findings)
    return Linted(publishable(found, text, version, others), read, time.perf_counter() - started)


def warm_up() -> None:
    """Lint a small script and a prompt once, so the grammar, the scanner and the rule tables are
    built before the first document arrives."""
    from hailuo_dsl.config import LintConfig

    linter = ScriptLinter()
    linter.lint("shot warm-up\n  @duration 6\n  A cat runs [Pan left].\n", None, LintConfig(), lambda _path: None)
    lint_document("A cat runs [Pan left].", DocumentKind.PROMPT)


def publishable(
    found: list[Diagnostic], text: str, version: int | None, others: dict[str, str] | None = None
) -> dict[str | None, list[types.Diagnostic]]:
    """Findings as protocol diagnostics, by the file they lie in (None: the document's own text);
    ``others`` holds the text of another file when it is not the one on disk (an unsaved spec)."""
    from hailuo_dsl.shots.spec import spec_text_or_empty

    grouped: dict[str | None, list[Diagnostic]] = {None: []}
    for diag in found:
        grouped.setdefault(diag.path, []).append(diag)
    result: dict[str | None, list[types.Diagnostic]] = {}
    for where, diags in grouped.items():
        if not diags:
            result[where] = []
            continue
        held = (others or {}).get(where) if where is not None else None
        index = LineIndex(text if where is None else held if held is not None else spec_text_or_empty(where))
        shown = [to_lsp_diagnostic(d, index, version if where is None else None) for d in diags[:MAX_PUBLISHED]]
        if len(diags) > MAX_PUBLISHED:
            hidden = diags[MAX_PUBLISHED]
            shown.append(
                types.Diagnostic(
                    range=to_range(index, hidden.start, hidden.start),
                    message=f"{len(diags) - MAX_PUBLISHED} more findings from here on are not shown; run hailuo lint for all",
                    severity=types.DiagnosticSeverity.Information,
                    source="hailuo",
                )
            )
        result[where] = shown
    return result

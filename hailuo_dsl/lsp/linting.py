"""Linting an open document for publishing: its findings as protocol diagnostics grouped by the
file they lie in, and the files the lint read (so a change to one re-lints the document).
Runs on the server's lint thread."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.documents import DocumentKind, lint_document
from hailuo_dsl.lsp.convert import to_lsp_diagnostic, to_range
from hailuo_dsl.lsp.watch import Stamp, stamp, stamps
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


def spec_path(text: str, path: Path | None) -> Path | None:
    """The shot-spec a script names on its ``spec`` line, as the compiler resolves it."""
    from hailuo_dsl.shots.parser import parse_script
    from hailuo_dsl.textfile import user_path

    script = parse_script(text, path)
    if script.spec is None:
        return None
    found = user_path(script.spec.value)
    if not found.is_absolute():
        found = (path.parent if path is not None else Path()) / found
    return found


def lint_for_publishing(
    text: str, kind: DocumentKind, config: LintConfig, path: Path | None, version: int | None, config_files: tuple[Path, ...]
) -> Linted:
    """Lint a document and convert its findings to protocol diagnostics."""
    started = time.perf_counter()
    read = stamps(config_files)
    spec = spec_path(text, path) if kind is DocumentKind.SHOT else None
    if spec is not None:
        read[spec] = stamp(spec)
    found = lint_document(text, kind, config, path)
    return Linted(publishable(found, text, version), read, time.perf_counter() - started)


def publishable(found: list[Diagnostic], text: str, version: int | None) -> dict[str | None, list[types.Diagnostic]]:
    """Findings as protocol diagnostics, by the file they lie in (None: the document's own text)."""
    from hailuo_dsl.shots.spec import spec_text_or_empty

    grouped: dict[str | None, list[Diagnostic]] = {None: []}
    for diag in found:
        grouped.setdefault(diag.path, []).append(diag)
    result: dict[str | None, list[types.Diagnostic]] = {}
    for where, diags in grouped.items():
        index = LineIndex(text if where is None else spec_text_or_empty(where))
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

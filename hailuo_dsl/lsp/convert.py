"""Between the library's code-point offsets and the protocol's positions (UTF-16 code units).

Every position the server sends or reads goes through a :class:`~hailuo_dsl.prompt.positions.LineIndex`
of the text it refers to, so lines holding CJK text or emoji stay exact.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from hailuo_dsl.diagnostics import Diagnostic, Fix, Severity
from hailuo_dsl.prompt.positions import LineIndex

SOURCE = "hailuo"

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def position(index: LineIndex, offset: int) -> types.Position:
    """The protocol position of a code-point offset."""
    pos = index.position(offset)
    return types.Position(line=pos.line, character=pos.utf16)


def to_range(index: LineIndex, start: int, end: int) -> types.Range:
    """The protocol range of the code points ``[start, end)``."""
    return types.Range(start=position(index, start), end=position(index, end))


def offset(index: LineIndex, pos: types.Position) -> int:
    """The code-point offset of a protocol position, clamped to the text."""
    return index.offset(max(pos.line, 0), max(pos.character, 0))


def _range_json(index: LineIndex, start: int, end: int) -> dict[str, dict[str, int]]:
    a, b = index.position(start), index.position(end)
    return {"start": {"line": a.line, "character": a.utf16}, "end": {"line": b.line, "character": b.utf16}}


def fix_data(index: LineIndex, fix: Fix, version: int | None) -> dict[str, Any]:
    """A fix as it travels in a diagnostic's ``data``: the edits already as protocol ranges,
    with the document version they apply to, so a quick fix needs no new lint."""
    return {
        "version": version,
        "title": fix.description,
        "safe": fix.safe,
        "edits": [{"range": _range_json(index, e.start, e.end), "newText": e.text} for e in fix.edits],
    }


def to_lsp_diagnostic(diag: Diagnostic, index: LineIndex, version: int | None) -> types.Diagnostic:
    """A library diagnostic as the protocol shows it; its fix travels in ``data``."""
    message = diag.message
    if diag.suggestions and "did you mean" not in message.lower():
        message = f"{message} (did you mean {', '.join(repr(s) for s in diag.suggestions)}?)"
    return types.Diagnostic(
        range=to_range(index, diag.start, diag.end),
        message=message,
        severity=_SEVERITIES[diag.severity],
        code=diag.code,
        source=SOURCE,
        data={"fix": fix_data(index, diag.fix, version)} if diag.fix is not None else None,
    )


def edits_from_data(data: object) -> tuple[str, bool, int | None, list[types.TextEdit]] | None:
    """The title, safety, document version and edits of a fix carried in a diagnostic's data,
    or None when the data holds no well-formed fix (a client may send anything back)."""
    if not isinstance(data, dict):
        return None
    fix = data.get("fix")
    if not isinstance(fix, dict):
        return None
    try:
        edits = [
            types.TextEdit(
                range=types.Range(
                    start=types.Position(line=int(e["range"]["start"]["line"]), character=int(e["range"]["start"]["character"])),
                    end=types.Position(line=int(e["range"]["end"]["line"]), character=int(e["range"]["end"]["character"])),
                ),
                new_text=str(e["newText"]),
            )
            for e in fix["edits"]
        ]
        version = fix.get("version")
        return str(fix["title"]), bool(fix.get("safe", True)), version if isinstance(version, int) else None, edits
    except (KeyError, TypeError, ValueError):
        return None

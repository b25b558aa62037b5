"""Document symbols: a ``.shot`` file's shots as an outline, each with its settings."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from hailuo_dsl.lsp.convert import to_range
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots import parse_script


def shot_symbols(text: str, index: LineIndex, path: Path | None) -> list[types.DocumentSymbol]:
    """One symbol per shot (its header line selects it), settings as children."""
    script = parse_script(text, path)
    symbols = []
    for shot in script.shots:
        children = [
            types.DocumentSymbol(
                name=f"@{s.key}",
                detail=s.raw,
                kind=types.SymbolKind.Property,
                range=to_range(index, s.span.start, s.span.end),
                selection_range=to_range(index, s.key_span.start, s.key_span.end),
            )
            for s in shot.settings
        ]
        symbols.append(
            types.DocumentSymbol(
                name=shot.name,
                detail=_summary(shot.prompt),
                kind=types.SymbolKind.Event,
                range=to_range(index, shot.span.start, shot.span.end),
                selection_range=to_range(index, shot.name_span.start, shot.name_span.end),
                children=children,
            )
        )
    return symbols


def _summary(prompt: str, width: int = 60) -> str:
    return prompt if len(prompt) <= width else prompt[: width - 1] + "…"

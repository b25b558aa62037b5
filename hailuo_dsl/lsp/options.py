"""The server's options: from ``initializationOptions`` at start, then from
``workspace/didChangeConfiguration`` (Neovim's ``settings``, eglot's workspace configuration,
Helix's ``config``), either bare or under a ``"hailuo"`` key."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TypeGuard

POLL_SECONDS = 1.0
"""How often the files an open document depends on are checked when the editor cannot watch them."""


@dataclass(slots=True)
class ServerOptions:
    """``{"debounce": ms, "promptExtensions": [".prompt", ".txt"], "pollInterval": s}``.

    ``debounce`` None (the default) chooses the wait from the measured cost of a lint: none when
    a lint is cheap, longer as linting the document costs more."""

    debounce_ms: float | None = None
    prompt_extensions: tuple[str, ...] = (".prompt",)
    poll_seconds: float = POLL_SECONDS

    @classmethod
    def from_json(cls, data: object, base: ServerOptions | None = None) -> ServerOptions:
        """Options from the client on top of ``base`` (the defaults); values of the wrong type
        are ignored. ``{"hailuo": {...}}`` is read as its inner table."""
        options = dataclasses.replace(base) if base is not None else cls()
        if isinstance(data, dict) and isinstance(data.get("hailuo"), dict):
            data = data["hailuo"]
        if not isinstance(data, dict):
            return options
        debounce = data.get("debounce")
        if _number(debounce) and debounce >= 0:
            options.debounce_ms = float(debounce)
        elif debounce == "auto":
            options.debounce_ms = None
        extensions = data.get("promptExtensions")
        if isinstance(extensions, list) and all(isinstance(e, str) for e in extensions):
            options.prompt_extensions = tuple(e if e.startswith(".") else f".{e}" for e in extensions)
        poll = data.get("pollInterval")
        if _number(poll) and poll > 0:
            options.poll_seconds = float(poll)
        return options


def _number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)

"""The language server for ``.shot`` scripts and prompt files (``hailuo lsp``); see ``server``."""

from __future__ import annotations

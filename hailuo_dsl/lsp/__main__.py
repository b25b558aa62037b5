"""``python -m hailuo_dsl.lsp``: the language server over standard input and output."""

from __future__ import annotations

from hailuo_dsl.lsp.server import main

if __name__ == "__main__":
    main()

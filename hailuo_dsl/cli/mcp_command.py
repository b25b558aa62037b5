"""``hailuo mcp``: the MCP server over standard input and output (for AI assistants)."""

from __future__ import annotations

import click

from hailuo_dsl.cli.common import UsageError

INSTALL_HINT = "hailuo mcp needs the MCP SDK (mcp 2.3 or later): pip install 'hailuo-dsl[mcp]'"


@click.command()
def mcp() -> None:
    """Serve the toolkit to AI assistants over the Model Context Protocol (stdio)."""
    try:  # imported here: the CLI's other commands need no MCP SDK, and it is an optional extra
        from hailuo_dsl.mcp.server import main
    except ModuleNotFoundError as err:
        if err.name is None or err.name.split(".")[0] != "mcp":
            raise
        raise UsageError(INSTALL_HINT) from None  # absent, or the 1.x line (no mcp.server.mcpserver)
    main()


COMMANDS: dict[str, click.Command] = {c.name: c for c in (mcp,) if c.name is not None}
"""This module's commands by name (``hailuo_dsl.cli`` lists them)."""

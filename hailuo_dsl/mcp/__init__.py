"""The MCP server of ``hailuo mcp``: the toolkit for AI assistants (Claude Desktop, Claude Code,
Cursor) over the Model Context Protocol, on the official SDK (the ``hailuo-dsl[mcp]`` extra).

Its modules import the SDK; this package imports nothing, so the rest of hailuo-dsl never needs it.
"""

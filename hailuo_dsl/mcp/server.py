"""``hailuo mcp``: the toolkit for AI assistants, over the Model Context Protocol (stdio).

Built on the official SDK's ``MCPServer`` (the ``hailuo-dsl[mcp]`` extra). A thin front end: each
tool calls the core the CLI calls (:mod:`hailuo_dsl.mcp.tools`, :mod:`hailuo_dsl.mcp.render_tools`),
and the two tables an assistant reads before it writes, rules and directives, are resources too.
"""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import FrameType

import anyio.to_thread
from mcp.server.mcpserver import MCPServer

from hailuo_dsl.mcp import render_tools, tools
from hailuo_dsl.mcp.renders import Renders
from hailuo_dsl.version import version

NAME = "hailuo"
INSTRUCTIONS = (
    "Tools for MiniMax-Hailuo-02 video prompts and .shot scripts. Lint a prompt before it is used "
    "(lint_prompt; fix_prompt applies the fixes); list_directives gives the fifteen camera moves in "
    "English and Chinese. compile_script shows a script's request bodies or its findings. "
    "start_render renders a script in the background and answers at once: follow it with "
    "render_status, then assemble_film joins the clips."
)
RULES_URI = "hailuo://rules"
DIRECTIVES_URI = "hailuo://directives"


def build_server(renders: Renders | None = None) -> MCPServer:
    """The server with every tool and resource; background renders go to ``renders``."""
    renders = renders or Renders()

    @asynccontextmanager
    async def lifespan(_server: MCPServer) -> AsyncIterator[None]:
        try:
            yield
        finally:  # the client went away: each running render records its submits in flight
            await anyio.to_thread.run_sync(renders.stop_all)

    server: MCPServer = MCPServer(NAME, version=version(), instructions=INSTRUCTIONS, lifespan=lifespan, log_level="WARNING")
    for function in (
        tools.lint_prompt,
        tools.fix_prompt,
        tools.format_prompt,
        tools.list_directives,
        tools.explain_rule,
        tools.compile_script,
    ):
        server.add_tool(function, structured_output=True)
    render_tools.register(server, renders)

    @server.resource(RULES_URI, name="rules", mime_type="application/json")
    def rules() -> str:
        """Every lint rule: code, name, severity, whether it fixes, what it finds (explain_rule explains one)."""
        return tools.rule_table().model_dump_json(indent=2)

    @server.resource(DIRECTIVES_URI, name="directives", mime_type="application/json")
    def directives() -> str:
        """The fifteen camera directives: English and Chinese names, what the camera does."""
        return tools.list_directives().model_dump_json(indent=2)

    return server


def main() -> None:
    """Serve over standard input and output until the client closes them. SIGTERM and SIGHUP (a
    client that does not wait, a closed terminal) first stop the running renders as a closed
    client does, each recording its submits in flight, then end the process by that signal."""
    renders = Renders()

    def stop(signum: int, _frame: FrameType | None) -> None:
        renders.stop_all()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    for name in ("SIGTERM", "SIGHUP"):  # SIGHUP is POSIX only
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    build_server(renders).run("stdio")

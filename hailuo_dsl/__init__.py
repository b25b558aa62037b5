"""hailuo-dsl: a prompt language, linter, formatter, compiler and client for MiniMax-Hailuo-02.

The Python API::

    from hailuo_dsl import parse_prompt, lint, fix, format_prompt

    prompt = "A man picks up a book [pedestal up], then reads [Static]."
    for d in lint(prompt):
        print(d.code, d.message)
    print(fix(prompt))            # "A man picks up a book [Pedestal up], then reads [Static shot]."

Scripts, requests and rendering::

    from hailuo_dsl import compile_script, AsyncClient, plan_render, render_script

Every name is imported from its module on first use, so ``import hailuo_dsl`` costs nothing: the
``hailuo`` command (which imports this package first) starts as fast as the command it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hailuo_dsl.client import (
        AsyncClient,
        AuthenticationError,
        BadRequest,
        Client,
        ConnectionFailed,
        ContentPolicy,
        DeadlineExceeded,
        HailuoError,
        InsufficientBalance,
        MalformedResponse,
        NotFound,
        RateLimited,
        ResponseTooLarge,
        RetryPolicy,
        ServerError,
        SubmitOutcomeUnknown,
        Task,
        TaskFailed,
        Timeout,
        TransferLimits,
        VideoExpired,
    )
    from hailuo_dsl.config import ConfigError, LintConfig, load_config
    from hailuo_dsl.contract.request import VideoRequest
    from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix, Severity
    from hailuo_dsl.emulator import Emulator
    from hailuo_dsl.prompt.fixes import fix
    from hailuo_dsl.prompt.formatter import format_prompt
    from hailuo_dsl.prompt.linter import lint
    from hailuo_dsl.prompt.parser import parse_prompt
    from hailuo_dsl.prompt.positions import LineIndex
    from hailuo_dsl.render import JournalError, plan_render, render_script
    from hailuo_dsl.rules import RULES, Rule
    from hailuo_dsl.shots import (
        SETTINGS,
        CompiledShot,
        CompileError,
        CompileResult,
        Script,
        ScriptReadError,
        ShotSpec,
        SpecError,
        UnknownShotError,
        compile_script,
        format_script,
        load_script,
        load_spec,
        parse_script,
    )

_CLIENT = (
    "AsyncClient",
    "AuthenticationError",
    "BadRequest",
    "Client",
    "ConnectionFailed",
    "ContentPolicy",
    "DeadlineExceeded",
    "HailuoError",
    "InsufficientBalance",
    "MalformedResponse",
    "NotFound",
    "RateLimited",
    "ResponseTooLarge",
    "RetryPolicy",
    "ServerError",
    "SubmitOutcomeUnknown",
    "Task",
    "TaskFailed",
    "Timeout",
    "TransferLimits",
    "VideoExpired",
)
_SHOTS = (
    "SETTINGS",
    "CompiledShot",
    "CompileError",
    "CompileResult",
    "Script",
    "ScriptReadError",
    "ShotSpec",
    "SpecError",
    "UnknownShotError",
    "compile_script",
    "format_script",
    "load_script",
    "load_spec",
    "parse_script",
)


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use."""
    value: Any
    if name == "__version__":
        from hailuo_dsl.version import version

        value = version()
    elif name in ("fix", "format_prompt", "lint", "parse_prompt", "LineIndex"):
        from hailuo_dsl.prompt import fixes, formatter, linter, parser, positions

        value = getattr(
            {"fix": fixes, "format_prompt": formatter, "lint": linter, "parse_prompt": parser}.get(name, positions), name
        )
    elif name in ("Diagnostic", "Edit", "Fix", "Severity"):
        from hailuo_dsl import diagnostics

        value = getattr(diagnostics, name)
    elif name in ("ConfigError", "LintConfig", "load_config"):
        from hailuo_dsl import config

        value = getattr(config, name)
    elif name in ("RULES", "Rule"):
        from hailuo_dsl import rules

        value = getattr(rules, name)
    elif name == "VideoRequest":
        from hailuo_dsl.contract import request

        value = request.VideoRequest
    elif name in _SHOTS:
        from hailuo_dsl import shots

        value = getattr(shots, name)
    elif name in _CLIENT:
        from hailuo_dsl import client

        value = getattr(client, name)
    elif name == "Emulator":
        from hailuo_dsl.emulator import Emulator

        value = Emulator
    elif name in ("JournalError", "plan_render", "render_script"):
        from hailuo_dsl import render

        value = getattr(render, name)
    else:
        raise AttributeError(f"module 'hailuo_dsl' has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "RULES",
    "SETTINGS",
    "AsyncClient",
    "AuthenticationError",
    "BadRequest",
    "Client",
    "CompileError",
    "CompileResult",
    "CompiledShot",
    "ConfigError",
    "ConnectionFailed",
    "ContentPolicy",
    "DeadlineExceeded",
    "Diagnostic",
    "Edit",
    "Emulator",
    "Fix",
    "HailuoError",
    "InsufficientBalance",
    "JournalError",
    "LineIndex",
    "LintConfig",
    "MalformedResponse",
    "NotFound",
    "RateLimited",
    "ResponseTooLarge",
    "RetryPolicy",
    "Rule",
    "Script",
    "ScriptReadError",
    "ServerError",
    "Severity",
    "ShotSpec",
    "SpecError",
    "SubmitOutcomeUnknown",
    "Task",
    "TaskFailed",
    "Timeout",
    "TransferLimits",
    "UnknownShotError",
    "VideoExpired",
    "VideoRequest",
    "compile_script",
    "fix",
    "format_prompt",
    "format_script",
    "lint",
    "load_config",
    "load_script",
    "load_spec",
    "parse_prompt",
    "parse_script",
    "plan_render",
    "render_script",
]

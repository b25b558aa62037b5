"""hailuo-dsl: a prompt language, linter, formatter, compiler and client for MiniMax-Hailuo-02.

The Python API::

    from hailuo_dsl import parse_prompt, lint, fix, format_prompt

    prompt = "A man picks up a book [pedestal up], then reads [Static]."
    for d in lint(prompt):
        print(d.code, d.message)
    print(fix(prompt))            # "A man picks up a book [Pedestal up], then reads [Static shot]."

Scripts, requests and rendering::

    from hailuo_dsl import compile_script, AsyncClient, render_script

The script, client and render names are imported on first use, so ``import hailuo_dsl`` (and the
linter behind the CLI and the language server) does not pay for httpx and the compiler.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from hailuo_dsl.config import ConfigError, LintConfig, load_config
from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix, Severity
from hailuo_dsl.prompt.fixes import fix
from hailuo_dsl.prompt.formatter import format_prompt
from hailuo_dsl.prompt.linter import lint
from hailuo_dsl.prompt.parser import parse_prompt
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.rules import RULES, Rule

__version__ = "0.1.0"

if TYPE_CHECKING:
    from hailuo_dsl.client import AsyncClient, Client, HailuoError, RetryPolicy, Task
    from hailuo_dsl.contract.request import VideoRequest
    from hailuo_dsl.emulator import Emulator
    from hailuo_dsl.render import render_script
    from hailuo_dsl.shots import (
        SETTINGS,
        CompiledShot,
        CompileError,
        CompileResult,
        Script,
        ShotSpec,
        compile_script,
        format_script,
        load_script,
        load_spec,
        parse_script,
    )

_LAZY = {
    "hailuo_dsl.client": ("AsyncClient", "Client", "HailuoError", "RetryPolicy", "Task"),
    "hailuo_dsl.emulator": ("Emulator",),
    "hailuo_dsl.render": ("render_script",),
    "hailuo_dsl.contract.request": ("VideoRequest",),
    "hailuo_dsl.shots": (
        "SETTINGS",
        "CompiledShot",
        "CompileError",
        "CompileResult",
        "Script",
        "ShotSpec",
        "compile_script",
        "format_script",
        "load_script",
        "load_spec",
        "parse_script",
    ),
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import the script, client and render names when first used."""
    if name not in _HOME:
        raise AttributeError(f"module 'hailuo_dsl' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "RULES",
    "SETTINGS",
    "AsyncClient",
    "Client",
    "CompileError",
    "CompileResult",
    "CompiledShot",
    "ConfigError",
    "Diagnostic",
    "Edit",
    "Emulator",
    "Fix",
    "HailuoError",
    "LineIndex",
    "LintConfig",
    "RetryPolicy",
    "Rule",
    "Script",
    "Severity",
    "ShotSpec",
    "Task",
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
    "render_script",
]

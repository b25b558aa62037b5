"""``.shot`` scripts: a storyboard of named shots, each a prompt plus settings, compiled with a
shot-spec (TOML) into validated API requests. See ``docs/shot-format.md``.

The public names below are imported from their modules when first used, so that importing one
module of this package (the rules read ``shots.syntax``) does not load the compiler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hailuo_dsl.shots.compiler import compile_script
    from hailuo_dsl.shots.formatter import format_script
    from hailuo_dsl.shots.parser import ScriptReadError, load_script, parse_script
    from hailuo_dsl.shots.result import CompiledShot, CompileError, CompileResult, UnknownShotError
    from hailuo_dsl.shots.settings import SETTINGS, SettingInfo
    from hailuo_dsl.shots.spec import ShotSpec, SpecError, load_spec, parse_spec
    from hailuo_dsl.shots.syntax import Comment, PromptLine, Script, Setting, Shot, SpecRef, Suppression


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use."""
    if name == "compile_script":
        from hailuo_dsl.shots import compiler

        value: Any = getattr(compiler, name)
    elif name == "format_script":
        from hailuo_dsl.shots import formatter

        value = getattr(formatter, name)
    elif name in ("ScriptReadError", "load_script", "parse_script"):
        from hailuo_dsl.shots import parser

        value = getattr(parser, name)
    elif name in ("CompiledShot", "CompileError", "CompileResult", "UnknownShotError"):
        from hailuo_dsl.shots import result

        value = getattr(result, name)
    elif name in ("SETTINGS", "SettingInfo"):
        from hailuo_dsl.shots import settings

        value = getattr(settings, name)
    elif name in ("ShotSpec", "SpecError", "load_spec", "parse_spec"):
        from hailuo_dsl.shots import spec

        value = getattr(spec, name)
    elif name in ("Comment", "PromptLine", "Script", "Setting", "Shot", "SpecRef", "Suppression"):
        from hailuo_dsl.shots import syntax

        value = getattr(syntax, name)
    else:
        raise AttributeError(f"module 'hailuo_dsl.shots' has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "SETTINGS",
    "Comment",
    "CompileError",
    "CompileResult",
    "CompiledShot",
    "PromptLine",
    "Script",
    "ScriptReadError",
    "Setting",
    "SettingInfo",
    "Shot",
    "ShotSpec",
    "SpecError",
    "SpecRef",
    "Suppression",
    "UnknownShotError",
    "compile_script",
    "format_script",
    "load_script",
    "load_spec",
    "parse_script",
    "parse_spec",
]

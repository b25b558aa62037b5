"""The package's own imports, read from its source with ``ast``: every ``import`` and ``from ...
import`` at module level, inside functions and under ``TYPE_CHECKING`` alike, resolved to the
project module it names (``from hailuo_dsl.shots import images`` is the module ``shots.images``;
``from hailuo_dsl.shots import compile_script`` is the package ``shots``). The structure tests
(``test_architecture.py``, ``rules/test_layers.py``) read the package through this one reader."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "hailuo_dsl"


@dataclass(frozen=True)
class Import:
    """One imported project module: where the import is written, and the names taken from it."""

    module: str
    target: str
    line: int
    names: tuple[str, ...]

    def where(self) -> str:
        return f"{relative_path(self.module)}:{self.line}"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()
"""Every module of the package by dotted name (a package by its own name, for its ``__init__``)."""


def relative_path(module: str) -> str:
    """The module's file relative to ``hailuo_dsl/``: ``shots/compiler.py``, ``__init__.py``."""
    return MODULES[module].relative_to(PACKAGE).as_posix()


def _read(name: str) -> list[Import]:
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES and alias.name != name:
                    found.append(Import(name, alias.name, node.lineno, ()))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{prefix}.{base}" if base else prefix
            by_target: dict[str, list[str]] = {}
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in MODULES:
                    by_target.setdefault(submodule, [])
                elif base in MODULES:
                    by_target.setdefault(base, []).append(alias.name)
            found.extend(Import(name, target, node.lineno, tuple(names)) for target, names in by_target.items() if target != name)
    return sorted(found, key=lambda i: i.line)


IMPORTS: dict[str, list[Import]] = {name: _read(name) for name in MODULES}
"""Each module's imports of the project's modules, in source order."""

GRAPH: dict[str, set[str]] = {name: {i.target for i in imports} for name, imports in IMPORTS.items()}
"""Each module's imported project modules."""


def reachable(start: str) -> set[str]:
    """Every module ``start`` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in GRAPH[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen

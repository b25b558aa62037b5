"""The import structure the rules rely on, read from the source: no import cycle in the package
(module-level, function-level and ``TYPE_CHECKING`` imports all count), and nothing a rule module
imports outside ``hailuo_dsl.rules`` imports the rule registry (or the configuration, which reads
it) back."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "hailuo_dsl"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """The project's modules that ``name`` imports anywhere in its source."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{prefix}.{base}" if base else prefix
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: _imports(name) for name in MODULES}


def _reachable(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in GRAPH[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_no_import_cycles() -> None:
    cycles = sorted(name for name in MODULES if name in _reachable(name))
    assert cycles == [], f"modules on an import cycle: {cycles}"


def test_what_the_rules_read_never_imports_the_registry() -> None:
    rule_modules = [name for name in MODULES if name.startswith("hailuo_dsl.rules.")]
    read = {dep for name in rule_modules for dep in GRAPH[name] if not dep.startswith("hailuo_dsl.rules")}
    assert {"hailuo_dsl.shots.syntax", "hailuo_dsl.shots.precedence", "hailuo_dsl.shots.images"} <= read
    for dep in sorted(read):
        back = {m for m in _reachable(dep) | {dep} if m.startswith("hailuo_dsl.rules") or m == "hailuo_dsl.config"}
        assert not back, f"{dep}, which the rules import, imports {sorted(back)}"

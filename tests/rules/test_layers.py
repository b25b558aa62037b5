"""The import structure the rules rely on, read from the source: no import cycle in the package
(module-level, function-level and ``TYPE_CHECKING`` imports all count), and nothing a rule module
imports outside ``hailuo_dsl.rules`` imports the rule registry (or the configuration, which reads
it) back. The imports are read by ``tests/import_graph.py``; the layers are ``tests/test_architecture.py``'s."""

from __future__ import annotations

from import_graph import GRAPH, MODULES, reachable


def test_no_import_cycles() -> None:
    cycles = sorted(name for name in MODULES if name in reachable(name))
    assert cycles == [], f"modules on an import cycle: {cycles}"


def test_what_the_rules_read_never_imports_the_registry() -> None:
    rule_modules = [name for name in MODULES if name.startswith("hailuo_dsl.rules.")]
    read = {dep for name in rule_modules for dep in GRAPH[name] if not dep.startswith("hailuo_dsl.rules")}
    assert {"hailuo_dsl.shots.syntax", "hailuo_dsl.shots.precedence", "hailuo_dsl.shots.images"} <= read
    for dep in sorted(read):
        back = {m for m in reachable(dep) | {dep} if m.startswith("hailuo_dsl.rules") or m == "hailuo_dsl.config"}
        assert not back, f"{dep}, which the rules import, imports {sorted(back)}"

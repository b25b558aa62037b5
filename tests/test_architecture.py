"""The layer rule of ``docs/architecture.md``, checked on the code's imports.

``LAYERS`` is the one statement of the rule: layers from the bottom up, each made of groups named by
their files under ``hailuo_dsl/`` (``"client/"`` a folder, ``"config.py"`` a file; the longest entry
that covers a file wins, so ``shots/compiler.py`` can sit above the rest of ``shots/``). A module may
import its own group and any group of a lower layer; groups of one layer are peers and never import
each other (the front ends above all). The one exception is a launcher: ``cli/<name>_command.py``
starts the front end ``<name>`` (``hailuo lsp``). Every import counts: module level, inside a
function, under ``TYPE_CHECKING``. The document shows the table this file renders; a test holds the
two equal (``python tests/test_architecture.py`` rewrites the document's copy).

Also here: private parts (``_name``, ``_module.py``) and ``client/core.py`` stay in their package,
``__all__`` lists only what its module defines, and no module is over 400 lines.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from dataclasses import dataclass

from import_graph import IMPORTS, MODULES, PACKAGE, Import, relative_path


@dataclass(frozen=True)
class Group:
    """Files that form one unit of the layer picture, and what they hold (for the document)."""

    name: str
    paths: tuple[str, ...]
    holds: str


@dataclass(frozen=True)
class Layer:
    name: str
    groups: tuple[Group, ...]


LAYERS: tuple[Layer, ...] = (
    Layer(
        "base",
        (
            Group(
                "base",
                ("contract/", "diagnostics.py", "textfile.py", "version.py", "imagetypes.py"),
                "the API's facts and the request body; diagnostics and edits; reading text files; "
                "the version; image types by their bytes",
            ),
        ),
    ),
    Layer(
        "prompt language",
        (
            Group(
                "prompt",
                ("prompt/",),
                "syntax tree, positions, grammar, parser, directives, vocabulary, classifier, formatter",
            ),
        ),
    ),
    Layer(
        "script language",
        (
            Group(
                "script",
                (
                    "shots/syntax.py",
                    "shots/scanner.py",
                    "shots/settings.py",
                    "shots/spec_keys.py",
                    "shots/precedence.py",
                    "shots/frames.py",
                    "shots/images.py",
                    "shots/continuity.py",
                ),
                "what the script rules read: the tree and the facts it records, settings, "
                "spec keys, precedence, frames and their image facts, continuity between shots",
            ),
        ),
    ),
    Layer(
        "rules",
        (Group("rules", ("rules/",), "`Rule`, `Scope`, `@rule`, the contexts, one module per rule, the registry"),),
    ),
    Layer(
        "checking",
        (
            Group(
                "checking",
                ("config.py", "prompt/linter.py", "prompt/fixes.py", "shots/", "documents.py", "output.py"),
                "what runs the rules: configuration, prompt linter and fixes, the script parser, "
                "shot-spec, compiler, script linter and formatter, pieces for incremental linting "
                "(the rest of `shots/`), documents, "
                "report formats",
            ),
        ),
    ),
    Layer(
        "transport and media",
        (
            Group("client", ("client/",), "the HTTP client: sans-IO core, sync and async twins, retry, limits, errors"),
            Group("video", ("video/",), "PyAV: verify, frames, assembly, timeline, contact sheet, encoding"),
        ),
    ),
    Layer(
        "services",
        (
            Group("render", ("render/",), "the render pipeline and its SQLite journal"),
            Group("emulator", ("emulator/",), "the API on loopback, its clips animatics of the request"),
        ),
    ),
    Layer(
        "front ends",
        (
            Group("cli", ("cli/", "__main__.py"), "the `hailuo` command"),
            Group("lsp", ("lsp/",), "the language server"),
            Group("mcp", ("mcp/",), "the MCP server of `hailuo mcp`: tools and resources for AI assistants, background renders"),
            Group("python-api", ("__init__.py",), "the Python API: `hailuo_dsl`'s own exports"),
        ),
    ),
)

PLANNED: set[str] = set()
"""Entries named before their files land (none now: every group has its files)."""

INTERNAL = {"client/core.py": "client"}
"""Modules only their own group imports (others use what the package exports)."""

MAX_LINES = 400
DOC = PACKAGE.parent / "docs" / "architecture.md"
START, END = "<!-- layers:start -->", "<!-- layers:end -->"


def _entries() -> dict[str, tuple[int, Group]]:
    entries: dict[str, tuple[int, Group]] = {}
    for number, layer in enumerate(LAYERS, start=1):
        for group in layer.groups:
            for path in group.paths:
                assert path not in entries, f"{path} is listed twice"
                entries[path] = (number, group)
    return entries


ENTRIES = _entries()


def _covers(entry: str, path: str) -> bool:
    return path.startswith(entry) if entry.endswith("/") else path == entry


def place(module: str) -> tuple[int, Group]:
    """The layer number and group of a module: the longest table entry covering its file."""
    path = relative_path(module)
    covering = [entry for entry in ENTRIES if _covers(entry, path)]
    assert covering, f"{path} is in no layer: add it to LAYERS in tests/test_architecture.py"
    return ENTRIES[max(covering, key=len)]


def violation(imp: Import) -> str | None:
    """Why ``imp`` breaks the layer rule, or None when it keeps to it."""
    (own_layer, own), (their_layer, their) = place(imp.module), place(imp.target)
    if own == their or their_layer < own_layer:
        return None
    if own.name == "cli" and imp.module == f"hailuo_dsl.cli.{their.name}_command":
        return None  # a launcher: `hailuo lsp` starts the language server
    where = "a peer in the same layer" if their_layer == own_layer else "a layer above"
    return (
        f"{imp.where()} imports {imp.target}: {own.name} ({LAYERS[own_layer - 1].name}) may not import "
        f"{their.name} ({LAYERS[their_layer - 1].name}), {where}"
    )


def layer_table() -> str:
    """The table the document shows, from the top layer down."""
    rows = ["| Layer | Group | Files under `hailuo_dsl/` | What it holds |", "|---|---|---|---|"]
    for number, layer in reversed(list(enumerate(LAYERS, start=1))):
        for group in layer.groups:
            files = ", ".join(f"`{p}`" for p in group.paths)
            rows.append(f"| {number} {layer.name} | {group.name} | {files} | {group.holds} |")
    return "\n".join(rows)


def _diagram_layers(text: str) -> list[tuple[int, str]]:
    """The numbered layers of the document's diagram: `` 8  front ends   cli  lsp ...``."""
    diagram = text.split("```text\n", 1)[1].split("```", 1)[0]
    return [(int(m[1]), m[2]) for m in re.finditer(r"^ ?(\d+)  (\S+(?: \S+)*?)(?:  |$)", diagram, re.MULTILINE)]


def _doc_block(text: str) -> str:
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def test_every_module_has_one_place_and_every_entry_names_a_file() -> None:
    for module in MODULES:
        place(module)
    paths = [relative_path(m) for m in MODULES]
    empty = sorted(e for e in ENTRIES if e not in PLANNED and not any(_covers(e, p) for p in paths))
    assert empty == [], f"layer entries that name no file: {empty}"


def test_imports_point_down_and_peers_never_import_each_other() -> None:
    found = [v for imports in IMPORTS.values() for imp in imports if (v := violation(imp))]
    assert found == [], "imports against the layer rule (docs/architecture.md):\n" + "\n".join(found)


def test_the_rule_catches_what_it_should() -> None:
    """The checker itself, on imports the code does not have (so the test above is not vacuous)."""

    def imp(module: str, target: str) -> Import:
        return Import(module, target, 1, ())

    assert violation(imp("hailuo_dsl.rules.base", "hailuo_dsl.shots.compiler"))  # up
    assert violation(imp("hailuo_dsl.shots.syntax", "hailuo_dsl.config"))  # up, inside `shots/`
    assert violation(imp("hailuo_dsl.render.pipeline", "hailuo_dsl.emulator"))  # a peer
    assert violation(imp("hailuo_dsl.lsp.server", "hailuo_dsl.cli.common"))  # front end to front end
    assert violation(imp("hailuo_dsl.cli.common", "hailuo_dsl.lsp.server"))  # not a launcher
    assert violation(imp("hailuo_dsl.cli.lsp_command", "hailuo_dsl"))  # the Python API is a front end
    assert violation(imp("hailuo_dsl.cli.lsp_command", "hailuo_dsl.lsp.server")) is None  # the launcher
    assert violation(imp("hailuo_dsl.shots.compiler", "hailuo_dsl.rules")) is None  # down
    assert place("hailuo_dsl.shots")[1].name == "checking"  # the package's lazy exports reach the compiler
    assert place("hailuo_dsl.prompt.linter")[1].name == "checking"


def test_the_document_shows_this_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert _doc_block(text) == layer_table(), "docs/architecture.md is stale: run python tests/test_architecture.py"
    layers = [(number, layer.name) for number, layer in enumerate(LAYERS, start=1)]
    assert sorted(_diagram_layers(text)) == layers, "the diagram of docs/architecture.md names other layers"


def _owner(module: str) -> str:
    """What may import a module's private parts: its top package (``hailuo_dsl.rules``), or the
    module alone when it sits at the root (``hailuo_dsl.config``)."""
    return ".".join(module.split(".")[:2])


def _inside(module: str, owner: str) -> bool:
    return module == owner or module.startswith(owner + ".")


def test_private_parts_stay_in_their_package() -> None:
    found = []
    for imports in IMPORTS.values():
        for imp in imports:
            owner = _owner(imp.target)
            if _inside(imp.module, owner):
                continue
            private_module = any(part.startswith("_") for part in imp.target.split(".")[1:])
            private_names = [n for n in imp.names if n.startswith("_") and not n.startswith("__")]
            if private_module or private_names:
                found.append(f"{imp.where()} imports {imp.target} {private_names or ''}".rstrip())
            internal = INTERNAL.get(relative_path(imp.target))
            if internal is not None and place(imp.module)[1].name != internal:
                found.append(f"{imp.where()} reaches into {imp.target}")
    assert found == [], "imports of another package's private parts:\n" + "\n".join(found)


def _defined(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def _all(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, (list, tuple))
            return [str(v) for v in value]
    return None


def test_all_lists_only_what_its_module_defines() -> None:
    """A module's ``__all__`` names what it defines, never what it imports (a name has one home);
    a package's ``__init__`` exports its package, and every name it lists resolves."""
    found = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _all(tree)
        if names is None:
            continue
        if path.name == "__init__.py":
            loaded = importlib.import_module(module)
            found += [f"{relative_path(module)}: {n} does not resolve" for n in names if not hasattr(loaded, n)]
        else:
            defined = _defined(tree)
            found += [f"{relative_path(module)}: {n} is not defined there" for n in names if n not in defined]
    assert found == [], "\n".join(found)


def test_no_module_is_over_400_lines() -> None:
    sizes = {relative_path(m): len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}
    assert {p: n for p, n in sizes.items() if n > MAX_LINES} == {}


if __name__ == "__main__":
    before, rest = DOC.read_text(encoding="utf-8").split(START, 1)
    DOC.write_text(f"{before}{START}\n{layer_table()}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")
    sys.exit(0)

"""The fenced blocks of the project's Markdown documents, read as CONTRIBUTING.md describes them,
and the one place where what truly varies between runs is normalised before outputs are compared.

A block is a command block when its language is ``console``, ``sh``/``shell``/``bash`` or
``python``; every other block (``text``, ``toml``, ``json``, ``yaml``, ``lua``, none) is an
illustration and is not run. An HTML comment on the line directly above a fence changes that:

- ``<!-- doc: skip REASON -->``: a command block that is not run (it needs a key, the network,
  an editor, or installs the package); the reason is required.
- ``<!-- doc: file PATH -->``: the block is the whole text of PATH in the repository.
- ``<!-- doc: write PATH -->``: the block is written to PATH in the working folder, for the
  command blocks after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMAND_LANGUAGES = ("console", "sh", "shell", "bash", "python")
MARKER = re.compile(r"^\s*<!--\s*doc:\s*(?P<kind>\S+)\s*(?P<argument>.*?)\s*-->\s*$")
MARKER_KINDS = ("skip", "file", "write")
FENCE = re.compile(r"^(?P<indent>\s*)```(?P<info>[^`]*)$")


@dataclass(frozen=True, slots=True)
class Block:
    """One fenced block: where it starts (1-based line of the fence), its language, its text and
    the marker above it (kind and argument), if any."""

    doc: Path
    line: int
    language: str
    text: str
    marker: str | None = None
    argument: str = ""

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"

    @property
    def is_command(self) -> bool:
        return self.language in COMMAND_LANGUAGES


def documents() -> list[Path]:
    """Every Markdown document a newcomer reads: the README, CONTRIBUTING, docs/ and editors/."""
    found = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
    found += sorted((ROOT / "editors").rglob("README.md"))
    return [path for path in found if path.is_file() and "node_modules" not in path.parts]


def blocks(doc: Path) -> list[Block]:
    """The fenced blocks of ``doc`` in order (an unclosed fence is an error)."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    number = 0
    while number < len(lines):
        opening = FENCE.match(lines[number])
        if opening is None:
            number += 1
            continue
        indent = len(opening["indent"])
        body: list[str] = []
        end = number + 1
        while end < len(lines) and lines[end].strip() != "```":
            body.append(lines[end][indent:] if lines[end][:indent].strip() == "" else lines[end])
            end += 1
        if end == len(lines):
            raise ValueError(f"{doc.relative_to(ROOT)}:{number + 1}: a fence that is never closed")
        marker = MARKER.match(lines[number - 1]) if number > 0 else None
        found.append(
            Block(
                doc,
                number + 1,
                (opening["info"].split() or [""])[0],
                "\n".join(body) + "\n",
                marker["kind"] if marker else None,
                marker["argument"] if marker else "",
            )
        )
        number = end + 1
    return found


@dataclass(frozen=True, slots=True)
class Command:
    """A ``$`` command of a console block and the output shown under it (None: none shown)."""

    line: int
    command: str
    output: str | None


def console_commands(block: Block) -> list[Command]:
    """The ``$ `` commands of a console block, a command continued by a final ``\\``."""
    commands: list[Command] = []
    lines = block.text.splitlines()
    number = 0
    while number < len(lines):
        line = lines[number]
        if not line.startswith("$ "):
            raise ValueError(f"{block.where}: console output before any '$ ' command: {line!r}")
        start = number
        command = line[2:]
        while command.endswith("\\") and number + 1 < len(lines):
            number += 1
            command = command[:-1] + " " + lines[number].strip()
        number += 1
        output: list[str] = []
        while number < len(lines) and not lines[number].startswith("$ "):
            output.append(lines[number])
            number += 1
        commands.append(Command(block.line + 1 + start, command, "\n".join(output) + "\n" if output else None))
    return commands


# What truly varies between runs, and nothing else: task ids (chosen by the server), clock times,
# decimal seconds a run took, request hashes, and the working folder of the run.
VARYING = (
    (re.compile(r"\bvid_[0-9A-Z]{6,}"), "vid_<id>"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}\b"), "<time>"),
    (re.compile(r"\b\d+\.\d+ ?s\b"), "<seconds>"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
)


def normalise(text: str, work: Path | None = None) -> str:
    """``text`` with what varies between runs replaced, the working folder dropped from paths, and
    spaces at line ends (a table's padding) removed."""
    if work is not None:
        text = text.replace(f"{work}/", "").replace(str(work), ".")
    for pattern, replacement in VARYING:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"

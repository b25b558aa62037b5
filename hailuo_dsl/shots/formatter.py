"""``format_script``: the canonical layout of a ``.shot`` script, never its meaning.

Two spaces of indentation; one blank line before each shot (and its comment block); runs of blank
lines collapsed to one; ``@key value`` with one space and quotes only where the value needs them;
two spaces before a trailing comment; directive brackets of each prompt line through
:func:`hailuo_dsl.prompt.formatter.format_prompt`; prompt lines re-wrapped only when ``reflow`` is given.
Every comment, shot, setting and directive stays, in order. A script with syntax errors is
returned unchanged, and so is any result whose parse would differ from the input's (a safety net:
formatting never corrupts what the user wrote).
"""

from __future__ import annotations

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.formatter import format_prompt
from hailuo_dsl.shots.parser import parse_script
from hailuo_dsl.shots.scanner import Line, Tok, read_value, scan_lines, write_value
from hailuo_dsl.shots.syntax import Script

INDENT = "  "


def format_script(text: str, *, reflow: int | None = None) -> str:
    """Format a script; ``reflow`` re-wraps each run of prompt lines to that many columns."""
    lines = scan_lines(text)
    script = parse_script(text, lines=lines)
    if any(d.severity is Severity.ERROR for d in script.diagnostics):
        return text
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1] else "\n"
    out = _Writer(text, reflow).write(lines)
    result = newline.join(out) + newline if out else ""
    return result if result == text or _same_meaning(script, parse_script(result)) else text


class _Writer:
    """Writes a script's scanned lines back in canonical form, one ``on_<kind>`` per line kind.

    It holds the text, the lines written so far, the prompt lines of the paragraph being
    gathered (written together, reflowed when ``reflow`` is set) and the number of the last line
    read, so blank lines between blocks are kept as one.
    """

    def __init__(self, text: str, reflow: int | None) -> None:
        self.text = text
        self.reflow = reflow
        self.out: list[str] = []
        self.paragraph: list[str] = []
        self.last_number = -1

    def write(self, lines: list[Line]) -> list[str]:
        for line in lines:
            adjacent = line.number == self.last_number + 1
            if self.paragraph and not (line.kind == "prompt_line" and adjacent):
                self.flush()
            if not adjacent and self.out:
                self.out.append("")
            if line.kind == "header":
                self.space_before_header()
            self.last_number = line.number
            getattr(self, "on_" + line.kind)(line)
        self.flush()
        return self.out

    def space_before_header(self) -> None:
        """One blank line above the header and the column-0 comments directly above it."""
        i = len(self.out)
        while i > 0 and self.out[i - 1].startswith("#"):
            i -= 1
        if i > 0 and self.out[i - 1] != "":
            self.out.insert(i, "")

    def source(self, tok: Tok) -> str:
        return self.text[tok.start : tok.end]

    def rest(self, tokens: tuple[Tok, ...]) -> tuple[str, str]:
        """The value of a header, spec or setting line as written canonically, and its comment."""
        values = [t for t in tokens if t.kind in ("WORD", "STRING")]
        comments = [t for t in tokens if t.kind == "COMMENT"]
        value = write_value(read_value(self.source(values[0]))) if values else ""
        comment = INDENT + self.source(comments[0]) if comments else ""
        return value, comment

    def on_comment(self, line: Line) -> None:
        self.out.append(self.source(line.tokens[0]))

    def on_indented_comment(self, line: Line) -> None:
        self.out.append(INDENT + self.source(line.tokens[1]))

    def on_header(self, line: Line) -> None:
        values = [t for t in line.tokens if t.kind == "WORD"]
        _value, comment = self.rest(line.tokens)
        self.out.append(f"shot {self.source(values[0])}{comment}")

    def on_spec(self, line: Line) -> None:
        value, comment = self.rest(line.tokens)
        self.out.append(f"spec {value}{comment}")

    def on_setting(self, line: Line) -> None:
        value, comment = self.rest(line.tokens[2:])
        value = f" {value}" if value else ""  # a bare setting (``@continue``) has none
        self.out.append(f"{INDENT}{self.source(line.tokens[1])}{value}{comment}")

    def on_prompt_line(self, line: Line) -> None:
        escaped = line.tokens[1].kind == "ESCAPE" if len(line.tokens) > 1 else False
        start = line.tokens[1].start + 1 if escaped else line.tokens[0].end
        self.paragraph.append(self.text[start : line.end].rstrip(" \t"))

    def flush(self) -> None:
        """Write the pending run of prompt lines (re-wrapped when asked)."""
        if not self.paragraph:
            return
        if self.reflow is None:
            pieces = [format_prompt(p) for p in self.paragraph]
        else:
            pieces = wrap(format_prompt(" ".join(self.paragraph)), max(self.reflow - len(INDENT), 1))
        self.out.extend(INDENT + ("\\" + p if p[:1] in ("@", "#") else p) for p in pieces)
        self.paragraph = []


def wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` code points where possible, only at a single
    space outside brackets, so joining the lines with one space gives ``text`` back."""
    breaks = [
        i
        for i, char in enumerate(text)
        if char == " " and 0 < i < len(text) - 1 and text[i - 1] not in " \t" and text[i + 1] not in " \t"
    ]
    depth = 0
    inside: set[int] = set()
    for i, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif depth:
            inside.add(i)
    breaks = [b for b in breaks if b not in inside]
    lines: list[str] = []
    start = 0
    while len(text) - start > width:
        fitting = [b for b in breaks if start < b <= start + width]
        later = [b for b in breaks if b > start]
        cut = fitting[-1] if fitting else (later[0] if later else None)
        if cut is None:
            break
        lines.append(text[start:cut])
        start = cut + 1
    lines.append(text[start:])
    return lines


def _same_meaning(before: Script, after: Script) -> bool:
    """The formatted script says what the input said: same spec, comments, shots, settings and
    prompts (up to the directive spelling the formatter canonicalises)."""

    def summary(script: Script) -> object:
        return (
            script.spec.value if script.spec else None,
            [c.text for c in script.comments],
            [(shot.name, [(s.key, s.value) for s in shot.settings], format_prompt(shot.prompt)) for shot in script.shots],
            [(s.codes, s.scope) for s in script.suppressions],
        )

    return summary(before) == summary(after) and not any(d.severity is Severity.ERROR for d in after.diagnostics)

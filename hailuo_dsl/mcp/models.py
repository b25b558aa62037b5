"""What the MCP tools answer: pydantic models, so every tool publishes an output schema and returns
structured content an assistant can read field by field (and the same data as JSON text)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.prompt.positions import LineIndex


class Span(BaseModel):
    """Where a finding lies: code-point offsets into the text, and 1-based lines and columns."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


class TextEdit(BaseModel):
    """Replace the code points ``[start, end)`` with ``text``."""

    start: int
    end: int
    text: str


class FindingFix(BaseModel):
    """How a finding is fixed; ``safe`` fixes are applied by ``fix_prompt``, others are guesses."""

    description: str
    safe: bool
    edits: list[TextEdit]


class Finding(BaseModel):
    """One finding of a rule, located."""

    code: str
    name: str
    severity: str = Field(description="error, warning or info")
    message: str
    file: str | None = Field(default=None, description="the file it lies in (scripts and their shot-specs); none for prompt text")
    span: Span
    fix: FindingFix | None = None
    suggestions: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, diagnostic: Diagnostic, text: str, file: str | None = None, index: LineIndex | None = None) -> Finding:
        """The finding of ``diagnostic``, whose offsets are into ``text``."""
        index = index or LineIndex(text)
        start, end = index.position(diagnostic.start), index.position(diagnostic.end)
        fix = diagnostic.fix
        return cls(
            code=diagnostic.code,
            name=diagnostic.name,
            severity=diagnostic.severity.value,
            message=diagnostic.message,
            file=file,
            span=Span(
                start=diagnostic.start,
                end=diagnostic.end,
                line=start.line + 1,
                column=start.column + 1,
                end_line=end.line + 1,
                end_column=end.column + 1,
            ),
            fix=None
            if fix is None
            else FindingFix(
                description=fix.description,
                safe=fix.safe,
                edits=[TextEdit(start=e.start, end=e.end, text=e.text) for e in fix.edits],
            ),
            suggestions=list(diagnostic.suggestions),
        )


class LintResult(BaseModel):
    """A prompt's findings, and the prompt with every safe fix applied."""

    clean: bool = Field(description="no errors and no warnings")
    findings: list[Finding]
    fixed_text: str = Field(description="the prompt with every safe fix applied (the prompt itself when none applies)")


class AppliedFix(BaseModel):
    """A fix that was applied: the finding's rule and message, and what the fix did."""

    code: str
    name: str
    message: str
    fix: str


class FixOutcome(BaseModel):
    """A prompt after its fixes: the new text, what was fixed (in order), and what is left."""

    text: str
    changed: bool
    applied: list[AppliedFix]
    remaining: list[Finding] = Field(description="the findings of the fixed text, located in it")


class Formatted(BaseModel):
    """A prompt in canonical form: directive spelling and bracket spacing (prose untouched)."""

    text: str
    changed: bool


class Directive(BaseModel):
    """A camera directive, by its English and Chinese names."""

    english: str
    chinese: str
    category: str
    axis: str | None
    description: str = Field(description="what the camera does")


class DirectiveTable(BaseModel):
    """The fifteen directives, and how a prompt writes them."""

    directives: list[Directive]
    max_per_bracket: int = Field(description="moves one bracket may hold together")
    usage: str


class RuleInfo(BaseModel):
    """A rule: its code, name, severity, whether it fixes, and the full explanation with examples."""

    code: str
    name: str
    severity: str
    fixable: bool
    enforced: bool = Field(description="kept an error by compile and render whatever the configuration says")
    summary: str
    explanation: str


class RuleTable(BaseModel):
    """Every rule (without the long explanations: ``explain_rule`` gives one)."""

    rules: list[RuleInfo]


class Compiled(BaseModel):
    """A script compiled: each shot's request body when nothing is an error, and every finding."""

    ok: bool = Field(description="no errors: the bodies are what a render sends")
    script: str
    shots: list[dict[str, Any]] = Field(description="per shot: shot, request (the API body), local_images, request_hash")
    findings: list[Finding]


class ShotStatus(BaseModel):
    """One take of a shot as the render journal knows it (a shot rendered once has take 1 alone)."""

    shot: str
    take: int
    state: str
    task_id: str | None
    status: str | None
    progress: int
    output: str | None = Field(description="the video on disk, once downloaded")
    error: str | None
    attempts: int


class RunInfo(BaseModel):
    """A render this server started in the background."""

    state: str = Field(description="running, finished, failed or stopped")
    emulator: bool
    started_at: float
    finished_at: float | None
    shots: list[str]
    error: str | None = None
    summary: dict[str, Any] | None = Field(default=None, description="the run's summary, as `hailuo render --json` prints it")


class RenderStatus(BaseModel):
    """What the journal holds of a script's renders (for one API), and this server's run of it."""

    script: str
    journal: str | None = Field(description="the journal read; none when nothing was rendered yet")
    shots: list[ShotStatus]
    run: RunInfo | None = Field(description="the background render this server started for the script, if any")


class RenderStarted(BaseModel):
    """What ``start_render`` started (``started`` false: the script has errors and nothing was sent)."""

    started: bool
    script: str
    emulator: bool
    journal: str
    out_dir: str
    shots: list[str]
    findings: list[Finding]
    message: str


class FilmInfo(BaseModel):
    """An assembled film, its timeline, and its clips in order."""

    film: str
    timeline: str
    method: str = Field(description="copy (packets joined, nothing re-encoded) or encode")
    duration: float
    size: list[int]
    shots: list[str]

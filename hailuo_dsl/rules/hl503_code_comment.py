"""HL503 code-comment."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Context, Finding, rule

_COMMENT = re.compile(r"^[ \t]*(?:#+(?=[ \t]|$)|//)[^\n]*|/\*.*?\*/|<!--.*?-->|\bTODO:[^\n]*", re.MULTILINE | re.DOTALL)


@rule("HL503", "code-comment", Severity.WARNING, "A code comment left inside the prompt")
def code_comment(ctx: Context) -> Iterator[Finding]:
    """A ``# comment``, ``// note``, ``/* ... */``, ``<!-- ... -->`` or ``TODO:`` copied from a
    script into the prompt is sent to the model as part of the description. Remove it (in a
    ``.shot`` file, comments on their own lines are not part of the prompt).

    Bad:  ``A koi pond at dawn [Tilt down]\\n# TODO: try Pan left``
    Good: ``A koi pond at dawn [Tilt down]``
    """
    text = ctx.prompt.text
    if not ("#" in text or "//" in text or "/*" in text or "<!--" in text or "TODO:" in text):
        return
    for m in _COMMENT.finditer(text):
        yield Finding(m.start(), m.end(), "Code comment inside the prompt; the model reads it as part of the description")

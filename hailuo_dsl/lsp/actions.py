"""Code actions: each diagnostic's quick fix (carried in its ``data``, so no new lint is needed),
"fix all" through ``fix_document``, and, in ``.shot`` files, a suppression comment above the line."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lsprotocol import types

from hailuo_dsl.documents import DocumentKind
from hailuo_dsl.lsp.capabilities import CODE_ACTION_KINDS, FIX_ALL
from hailuo_dsl.lsp.convert import SOURCE, edits_from_data, position, to_range
from hailuo_dsl.prompt.positions import LineIndex

KINDS = CODE_ACTION_KINDS
FIX_ALL_TITLE = "Fix all hailuo findings"

_IGNORE_LINE = re.compile(r"^([ \t]*)#[ \t]*hailuo:[ \t]*ignore[ \t]+([A-Za-z0-9_,\- \t]+?)[ \t]*$")


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client asked for actions of ``kind`` (``only`` entries are kind prefixes)."""
    return only is None or any(kind == o or kind.startswith(f"{o}.") for o in only)


def document_edit(uri: str, version: int | None, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    """Edits to one document, tied to the version they were computed for."""
    identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=identifier, edits=list(edits))])


def minimal_edit(index: LineIndex, new: str) -> types.TextEdit | None:
    """One edit that turns ``index.text`` into ``new``, covering only the part that changed."""
    old = index.text
    if old == new:
        return None
    prefix = _common_prefix(old, new)
    suffix = _common_prefix(old[prefix:][::-1], new[prefix:][::-1])
    return types.TextEdit(range=to_range(index, prefix, len(old) - suffix), new_text=new[prefix : len(new) - suffix])


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix, compared in blocks (documents can be megabytes)."""
    n = min(len(a), len(b))
    i, block = 0, 4096
    while i < n:
        step = min(block, n - i)
        if a[i : i + step] == b[i : i + step]:
            i += step
        elif step == 1:
            return i
        else:
            block = max(1, step // 2)
    return n


def quick_fixes(uri: str, version: int | None, diagnostics: Sequence[types.Diagnostic]) -> list[types.CodeAction]:
    """The fix of each diagnostic, when it was computed for the current version."""
    actions = []
    for diag in diagnostics:
        if diag.source != SOURCE:
            continue
        found = edits_from_data(diag.data)
        if found is None:
            continue
        title, safe, fix_version, edits = found
        if fix_version is not None and version is not None and fix_version != version:
            continue
        actions.append(
            types.CodeAction(
                title=f"{title} ({diag.code})" if safe else f"{title} ({diag.code}, unsafe: check the meaning)",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                is_preferred=safe,
                edit=document_edit(uri, version, edits),
            )
        )
    return actions


def suppressions(
    uri: str, version: int | None, index: LineIndex, diagnostics: Sequence[types.Diagnostic]
) -> list[types.CodeAction]:
    """``# hailuo: ignore CODE`` above each diagnostic's line, indented like it; added to an
    ignore comment that is already there."""
    actions = []
    seen: set[tuple[int, str]] = set()
    for diag in diagnostics:
        code = diag.code
        line = diag.range.start.line
        if diag.source != SOURCE or not isinstance(code, str) or (line, code) in seen or line >= len(index.line_starts):
            continue
        seen.add((line, code))
        text = index.line_text(line)
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        above = index.line_text(line - 1) if line > 0 else ""
        m = _IGNORE_LINE.match(above)
        if m is not None and line > 0:
            codes = [c.strip() for c in m.group(2).split(",") if c.strip()]
            if code in codes:
                continue
            new_line = f"{m.group(1)}# hailuo: ignore {','.join([*codes, code])}"
            start = index.line_starts[line - 1]
            edit = types.TextEdit(range=to_range(index, start, start + len(above)), new_text=new_line)
        else:
            at = position(index, index.line_starts[line])
            edit = types.TextEdit(range=types.Range(start=at, end=at), new_text=f"{indent}# hailuo: ignore {code}\n")
        actions.append(
            types.CodeAction(
                title=f"Suppress {code} on this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                edit=document_edit(uri, version, [edit]),
            )
        )
    return actions


def fix_all(uri: str, version: int | None, index: LineIndex, fixer: Callable[[str], str]) -> types.CodeAction | None:
    """Every safe fix at once (``fixer`` is ``fix_document`` bound to the document's kind and
    configuration); None when there is nothing to fix."""
    edit = minimal_edit(index, fixer(index.text))
    if edit is None:
        return None
    return types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL, edit=document_edit(uri, version, [edit]))


def code_actions(
    uri: str,
    version: int | None,
    kind: DocumentKind,
    index: LineIndex,
    params: types.CodeActionParams,
    fixer: Callable[[str], str],
    *,
    can_resolve: bool = False,
) -> list[types.CodeAction]:
    """The actions for a code-action request, filtered by the kinds the client asked for.

    "Fix all" is offered next to the quick fixes when a diagnostic at the cursor has a fix; a
    client that can resolve actions gets it without its edit (computed by ``resolve_fix_all`` only
    if chosen), so moving the cursor never runs the fixer over the whole document.
    """
    only = params.context.only
    diagnostics = params.context.diagnostics
    actions: list[types.CodeAction] = []
    if wanted(types.CodeActionKind.QuickFix, only):
        actions += quick_fixes(uri, version, diagnostics)
        if kind is DocumentKind.SHOT:
            actions += suppressions(uri, version, index, diagnostics)
    if not wanted(FIX_ALL, only):
        return actions
    if only is None:
        if not any(d.source == SOURCE and d.data for d in diagnostics):
            return actions
        if can_resolve:
            data = {"fixAll": uri, "version": version}
            return [*actions, types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL, data=data)]
    action = fix_all(uri, version, index, fixer)
    return actions if action is None else [*actions, action]


def fix_all_target(action: types.CodeAction) -> tuple[str, int | None] | None:
    """The document (URI, version) of an unresolved "fix all" action, or None for another action."""
    data = action.data
    if not isinstance(data, dict) or not isinstance(data.get("fixAll"), str):
        return None
    version = data.get("version")
    return data["fixAll"], version if isinstance(version, int) else None

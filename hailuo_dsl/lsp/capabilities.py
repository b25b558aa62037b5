"""What the server announces in its ``initialize`` reply, in a module that imports nothing heavy:
the reply goes out before the linter, the compiler and their tables are loaded (they load on a
worker thread right after, see ``state.HailuoServer.warm_up``)."""

from __future__ import annotations

from lsprotocol import types

COMPLETION_TRIGGERS = ["[", ",", "@", " "]
FIX_ALL = types.CodeActionKind.SourceFixAll
CODE_ACTION_KINDS = [types.CodeActionKind.QuickFix, FIX_ALL]

"""The states of a shot's task in the render journal, and the moves between them.

::

    pending ──> submitting ──> submitted ──> completed ──> downloaded
                    │  │            │            │
                    │  └─> failed <─┴────────────┘   (refused request, failed task, expired video)
                    └────> unknown                    (the submit may have reached the server)

``unknown`` is never left automatically: a person checks the account and then adopts the task
found there, or forgets the shot so that the next run submits it.
"""

from __future__ import annotations

import enum


class ShotState(str, enum.Enum):
    """Where a shot's task stands, as recorded in the journal."""

    PENDING = "pending"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    UNKNOWN = "unknown"
    COMPLETED = "completed"
    FAILED = "failed"
    DOWNLOADED = "downloaded"


S = ShotState
TRANSITIONS: dict[ShotState, frozenset[ShotState]] = {
    S.PENDING: frozenset({S.SUBMITTING}),
    S.SUBMITTING: frozenset({S.SUBMITTED, S.UNKNOWN, S.PENDING, S.FAILED}),
    S.SUBMITTED: frozenset({S.SUBMITTED, S.COMPLETED, S.FAILED}),
    S.UNKNOWN: frozenset({S.SUBMITTED}),
    S.COMPLETED: frozenset({S.DOWNLOADED, S.FAILED}),
    S.FAILED: frozenset(),
    S.DOWNLOADED: frozenset({S.DOWNLOADED, S.FAILED}),
}
"""The moves a shot can make besides :meth:`Journal.reset` (any state back to ``pending``)."""

MAY_HAVE_TASK = frozenset({S.SUBMITTING, S.SUBMITTED, S.UNKNOWN, S.COMPLETED, S.DOWNLOADED})
"""States in which a submit may have been accepted: the same request is never submitted again."""

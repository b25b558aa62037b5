"""Faults the emulator can inject, settable before start or at run time.

Counted faults (``rate_limited=2``) hit the next N requests to the ``target`` endpoint
(``"submit"``, ``"query"``, ``"upload"``, ``"download"``; None: any of them) and then stop,
so a test says exactly what goes wrong and when.
"""

from __future__ import annotations

from dataclasses import dataclass

ENDPOINTS = ("submit", "query", "upload", "download")


@dataclass
class Faults:
    """What goes wrong, and how often."""

    target: str | None = None
    rate_limited: int = 0  # 429 answers
    retry_after: str | None = None  # Retry-After on those answers: seconds or an HTTP date; None: no header
    server_errors: int = 0  # 500 answers
    fail_rate: float = 0.0  # probability of a 500 on any targeted request
    drop_before: int = 0  # connection closed after reading the request; nothing done
    drop_after: int = 0  # submits: the task is created, then the connection is closed without an answer
    slow: int = 0  # answers delayed by slow_seconds
    slow_seconds: float = 2.0
    malformed_json: int = 0  # 200 answers whose body is broken JSON (a submit still creates its task)
    error_body_200: int = 0  # 200 answers with an error body and no task
    insufficient_balance: int = 0  # submits answered 402
    policy_refusals: int = 0  # submits answered 422
    failed_tasks: int = 0  # accepted tasks that end failed (internal error)
    policy_failures: int = 0  # accepted tasks that end failed with a content-policy error, on HTTP 200
    unknown_status: str | None = None  # tasks report this status text forever
    old_submit_shape: bool = False  # submit answers {"code": 200, "data": [{"status": "submitted", "task_id": ...}]}
    expired_urls: bool = False  # video downloads answer 403 as if past expires_at
    cut_downloads: int = 0  # downloads cut off midway (full Content-Length announced, half sent)
    submit_limit: int = 0  # a rate limit: at most this many submits in any submit_window (0: none)
    submit_window: float = 60.0  # real seconds; a submit over the limit is answered 429 with Retry-After

    def __post_init__(self) -> None:
        if self.target is not None and self.target not in ENDPOINTS:
            raise ValueError(f"unknown fault target {self.target!r}; one of {', '.join(ENDPOINTS)}")
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError("fail_rate is a probability between 0 and 1")
        if self.submit_limit < 0 or self.submit_window <= 0:
            raise ValueError("submit_limit is a count of submits (0: no limit) in a submit_window of seconds")

    def hits(self, endpoint: str) -> bool:
        """True when the faults apply to this endpoint."""
        return self.target is None or self.target == endpoint

    def take(self, name: str, endpoint: str | None) -> bool:
        """Use up one of the counted fault ``name`` for a request to ``endpoint`` (None: whatever the
        target, for faults of a task's outcome), if any is left."""
        if endpoint is not None and not self.hits(endpoint):
            return False
        left: int = getattr(self, name)
        if left <= 0:
            return False
        setattr(self, name, left - 1)
        return True

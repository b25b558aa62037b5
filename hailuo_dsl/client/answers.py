"""Reading the API's answers: a read, redacted ``Reply`` into a ``Task``, an upload URL or a typed error.

A ``Reply`` is an answer already read within the reply limit, with the API key redacted from its
text, its parsed JSON and its URL (:mod:`hailuo_dsl.client.redact`): everything built here, and so
everything shown or stored, comes from that redacted text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from hailuo_dsl.client.errors import (
    HailuoError,
    MalformedResponse,
    RateLimited,
    SubmitOutcomeUnknown,
    error_class,
)
from hailuo_dsl.client.models import Task, TaskError
from hailuo_dsl.client.retry import parse_retry_after
from hailuo_dsl.contract.request import request_hash

_DETAIL_CHARS = 200


@dataclass(frozen=True)
class Reply:
    """One answer, read whole (within its limit) and redacted."""

    status_code: int
    headers: httpx.Headers
    url: str
    text: str
    data: Any
    """The parsed JSON (None when the body is not JSON)."""
    size: int

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    def json_object(self) -> dict[str, Any] | None:
        return self.data if isinstance(self.data, dict) else None

    def describe(self) -> str:
        if not self.size:
            return "an empty body"
        if self.json_object() is None:
            return "a body that is not a JSON object"
        return "a JSON body"


class Answers:
    """What each kind of answer means: the part of the client core that reads replies.

    It holds no state: it turns a ``Reply`` (status, headers, a bounded and redacted body) into a
    ``Task``, an upload URL or the typed error of ``hailuo_dsl.client.errors``, and decides when a
    submit's outcome is unknown (``SubmitOutcomeUnknown``, never retried: a submit is a paid task).
    """

    def read_submit(self, request_body: dict[str, Any] | None, reply: Reply) -> Task:
        """The task a submit created, or the error it met (``SubmitOutcomeUnknown`` when unsure)."""
        data = reply.json_object() if reply.is_success else None
        if reply.status_code >= 500:
            why = f"the API answered: {self.error_from_reply(reply).message.rstrip('.')}"
            raise self.outcome_unknown(request_body, why, reply)
        if reply.is_success and data is None:
            raise self.outcome_unknown(request_body, f"the API answered HTTP {reply.status_code} with {reply.describe()}", reply)
        if data is None:
            raise self.error_from_reply(reply)
        try:
            return Task.from_api(data)
        except ValueError:
            if data.get("error") is not None:
                raise self.error_from_body(reply, data["error"]) from None
            raise self.outcome_unknown(request_body, "the API answered without a task id", reply) from None

    def read_task(self, reply: Reply) -> Task:
        """The task a query answered, or the error it met."""
        if not reply.is_success:
            raise self.error_from_reply(reply)
        data = reply.json_object()
        if data is None:
            raise MalformedResponse(
                f"The API answered a task query with {reply.describe()} instead of a task object.",
                status=reply.status_code,
                body=reply.text,
            )
        try:
            return Task.from_api(data)
        except ValueError:
            if data.get("error") is not None:
                raise self.error_from_body(reply, data["error"]) from None
            raise MalformedResponse(
                "The API answered a task query without a task id.", status=reply.status_code, body=reply.text
            ) from None

    def read_upload(self, reply: Reply) -> str:
        """The URL of an uploaded image, or the error the upload met."""
        if not reply.is_success:
            raise self.error_from_reply(reply)
        data = reply.json_object()
        inner = data.get("data") if data is not None else None
        if (
            data is not None
            and data.get("success") is not False
            and isinstance(inner, Mapping)
            and isinstance(inner.get("url"), str)
        ):
            return str(inner["url"])
        if data is not None and (data.get("error") is not None or data.get("success") is False):
            raise self.error_from_body(reply, data.get("error") or {"message": data.get("message", "")})
        raise MalformedResponse(
            f"The API answered an upload with {reply.describe()} instead of the image's URL.",
            status=reply.status_code,
            body=reply.text,
        )

    def error_from_reply(self, reply: Reply) -> HailuoError:
        """The typed error for a non-success answer, with the server's own words when it gave any."""
        status = reply.status_code
        data = reply.json_object()
        detail = ""
        if data is not None:
            error = data.get("error")
            if error is not None:
                detail = TaskError.from_api(error).message
            elif isinstance(data.get("message"), str):
                detail = data["message"]
        elif reply.text.strip():
            detail = reply.text.strip()
        detail = _shortened(detail)
        cls = error_class(status)
        message = f"{cls.summary} (HTTP {status})" + (f": {detail}" if detail else ".")
        if cls is RateLimited:
            return RateLimited(
                message, status=status, body=reply.text, retry_after=parse_retry_after(reply.headers.get("retry-after"))
            )
        return cls(message, status=status, body=reply.text)

    def error_from_body(self, reply: Reply, error: Any) -> HailuoError:
        """The typed error for a success status whose body is an ``error`` (its code picks the class)."""
        parsed = TaskError.from_api(error)
        code = _int_code(parsed.code)
        cls = error_class(code) if code is not None else HailuoError
        label = f" [{_shortened(str(parsed.code))}]" if parsed.code is not None else ""
        reason = _shortened(parsed.message) or "no reason given"
        message = f"{cls.summary}{label}: {reason} (an error body on HTTP {reply.status_code})"
        return cls(message, status=reply.status_code, body=reply.text)

    def outcome_unknown(self, request_body: dict[str, Any] | None, why: str, reply: Reply | None = None) -> SubmitOutcomeUnknown:
        body = request_body or {}
        digest = request_hash(body)
        return SubmitOutcomeUnknown(
            f"The submit may have created a task, but {why}. It was not retried, to avoid paying twice: "
            f"check the account's tasks before submitting again (request hash {digest[:12]}).",
            request_hash=digest,
            request_body=body,
            status=reply.status_code if reply is not None else None,
            body=reply.text if reply is not None else None,
        )


def _shortened(text: str) -> str:
    """A server's words cut to a line's length (they were redacted before, so no key prefix is left)."""
    text = " ".join(text.split())
    return text if len(text) <= _DETAIL_CHARS else text[: _DETAIL_CHARS - 3] + "..."


def _int_code(code: int | str | None) -> int | None:
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.strip().isdigit():
        return int(code.strip())
    return None

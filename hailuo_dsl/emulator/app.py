"""The API behind the emulator's HTTP server: routes, validation, task state, injected faults.

Independent of the socket layer: ``EmulatorApp.handle`` takes a parsed request and returns the
answer plus what to do with the connection (answer, drop it, or cut the body off midway).
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import Future
from typing import Any

from pydantic import ValidationError

from hailuo_dsl.contract import MAX_UPLOAD_BYTES, MB, SHOT_HEADER, SUBMIT_PATH, UPLOAD_FIELD, UPLOAD_PATH, Status
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator.animatic import DEFAULT_VIDEO_SCALE, AnimaticSource, task_video
from hailuo_dsl.emulator.faults import Faults
from hailuo_dsl.emulator.models import (
    EXPIRY_SECONDS,
    OLD_QUEUED,
    ConnectionAction,
    EmulatedTask,
    EmulatorClock,
    EmulatorStats,
    HttpRequest,
    HttpResponse,
    SubmitSeen,
    error_body,
    json_bytes,
)
from hailuo_dsl.emulator.multipart import parse_multipart
from hailuo_dsl.imagetypes import image_mime


def _error(status: int, message: str, **kwargs: Any) -> HttpResponse:
    return HttpResponse(status, error_body(status, message), **kwargs)


_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif"}
_SHOT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_VIDEO_CACHE = 64


class EmulatorApp:
    """The emulated API: one instance per emulator, driven by the server's event loop thread.

    It holds the emulated state of one account: its API key, the tasks it accepted (each with the
    way it will end), the uploaded images, a bounded cache of the videos made so far, the emulated
    clock (``time_scale``), the injected faults, a seeded random source and the request counts
    (``stats``, which tests and benchmarks read). ``handle`` routes one parsed request to its
    endpoint and answers as the contract says the real API does (§1-§5), errors included.
    """

    def __init__(
        self,
        *,
        api_key: str,
        latency: float,
        time_scale: float,
        task_seconds: float,
        faults: Faults | None,
        seed: int,
        expiry_seconds: float = EXPIRY_SECONDS,
        video_scale: float = DEFAULT_VIDEO_SCALE,
        prepare_videos: bool = False,
    ) -> None:
        if task_seconds <= 0:
            raise ValueError("task_seconds must be positive")
        if not 0 < video_scale <= 1:
            raise ValueError("video_scale must be more than 0 and at most 1")
        self.video_scale = video_scale
        self.prepare_videos = prepare_videos
        self._making: dict[str, Future[bytes]] = {}
        self.videos: OrderedDict[str, bytes] = OrderedDict()
        self.expiry_seconds = expiry_seconds
        self.api_key = api_key
        self.latency = latency
        self.clock = EmulatorClock(time_scale)
        self.task_seconds = task_seconds
        self.faults = faults or Faults()
        self.rng = random.Random(seed)
        self.base_url = ""
        self.stats = EmulatorStats()
        self.tasks: dict[str, EmulatedTask] = {}
        self.images: dict[str, tuple[str, bytes]] = {}
        self._recent_submits: deque[float] = deque()
        self._lock = threading.Lock()

    # -- routing --------------------------------------------------------------------------------

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one request (with the configured latency and any fault that applies)."""
        with self._lock:
            response = self._route(request)
        response.delay += self.latency
        return response

    def _route(self, request: HttpRequest) -> HttpResponse:
        arrived = time.monotonic()
        path = request.path.split("?", 1)[0]
        endpoint, handler = self._endpoint(request.method, path)
        if endpoint is None or handler is None:
            self.stats.requests["other"] += 1
            return _error(404, f"no route for {request.method} {path}")
        self.stats.requests[endpoint] += 1
        faults = self.faults
        slow = faults.slow_seconds if faults.take("slow", endpoint) else 0.0
        response = self._faulty(endpoint, request) or self._over_limit(endpoint, arrived) or handler(request, path)
        response.delay += slow
        if endpoint == "submit":
            wait = dict(response.headers).get("Retry-After")
            shot = request.headers.get(SHOT_HEADER.lower())
            self.stats.submits.append(SubmitSeen(arrived, response.status, shot, _seconds(wait)))
        return response

    def _over_limit(self, endpoint: str, now: float) -> HttpResponse | None:
        """A submit over ``faults.submit_limit`` in its window: 429, ``Retry-After`` the seconds
        until the oldest submit of the window leaves it."""
        limit, window = self.faults.submit_limit, self.faults.submit_window
        if endpoint != "submit" or limit <= 0:
            return None
        recent = self._recent_submits
        while recent and recent[0] <= now - window:
            recent.popleft()
        if len(recent) < limit:
            recent.append(now)
            return None
        wait = recent[0] + window - now
        return self._refuse(_error(429, "Rate limit exceeded", headers=[("Retry-After", f"{wait:.3f}")]))

    def _endpoint(self, method: str, path: str) -> tuple[str | None, Any]:
        if path == SUBMIT_PATH and method == "POST":
            return "submit", self._submit
        if path.startswith(SUBMIT_PATH + "/") and method == "GET":
            return "query", self._query
        if path == UPLOAD_PATH and method == "POST":
            return "upload", self._upload
        if path.startswith("/files/videos/") and method == "GET":
            return "download", self._download
        if path.startswith("/files/images/") and method == "GET":
            return "image", self._image
        return None, None

    def _faulty(self, endpoint: str, request: HttpRequest) -> HttpResponse | None:
        """The answer of a fault that hits before the endpoint's own work, if any."""
        faults = self.faults
        refused: HttpResponse | None = None
        if faults.take("drop_before", endpoint):
            refused = HttpResponse(0, action=ConnectionAction.DROP)
        elif endpoint not in ("download", "image") and request.headers.get("authorization") != f"Bearer {self.api_key}":
            refused = _error(401, "Invalid API key" if "authorization" in request.headers else "Missing Authorization header")
        elif faults.take("rate_limited", endpoint):
            headers = [("Retry-After", faults.retry_after)] if faults.retry_after is not None else []
            refused = _error(429, "Rate limit exceeded", headers=headers)
        elif faults.take("server_errors", endpoint) or (
            faults.fail_rate > 0 and faults.hits(endpoint) and self.rng.random() < faults.fail_rate
        ):
            refused = _error(500, "Internal server error")
        if refused is None:
            return None
        if endpoint == "submit":
            self.stats.submits_refused += 1
        return refused

    # -- endpoints ------------------------------------------------------------------------------

    def _submit(self, request: HttpRequest, path: str) -> HttpResponse:
        faults = self.faults
        try:
            body = json.loads(request.body)
        except RecursionError:
            return self._refuse(_error(400, "The request body nests too deeply to be read"))
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return self._refuse(_error(400, "The request body is not a JSON object"))
        if faults.take("insufficient_balance", "submit"):
            return self._refuse(_error(402, "Insufficient balance"))
        if faults.take("policy_refusals", "submit"):
            return self._refuse(_error(422, "The prompt was flagged by the content policy"))
        problem = _invalid(body)
        if problem is not None:
            return self._refuse(_error(400, problem))
        if faults.take("error_body_200", "submit"):
            return self._refuse(HttpResponse(200, error_body(400, "The request could not be processed")))
        task = self._create(body)
        shot = request.headers.get(SHOT_HEADER.lower(), "")
        task.shot = shot if _SHOT_NAME.fullmatch(shot) else None
        if self.prepare_videos and task.outcome == "completed":
            self._prepare(task)
        if faults.take("drop_after", "submit"):
            return HttpResponse(0, action=ConnectionAction.DROP)
        if faults.take("malformed_json", "submit"):
            return HttpResponse(200, b'{"id": "' + task.id.encode() + b'", "status": ')
        if task.old_shape:
            return HttpResponse(200, json_bytes({"code": 200, "data": [{"status": OLD_QUEUED, "task_id": task.id}]}))
        return HttpResponse(200, json_bytes(task.view(task.created_at, self.base_url)))

    def _refuse(self, response: HttpResponse) -> HttpResponse:
        self.stats.submits_refused += 1
        return response

    def _create(self, body: dict[str, Any]) -> EmulatedTask:
        faults = self.faults
        old = faults.old_submit_shape
        prefix = "task_" if old else "vid_"
        task_id = prefix + "".join(self.rng.choice(_ID_ALPHABET) for _ in range(26))
        outcome = "completed"
        if faults.take("policy_failures", None):
            outcome = "policy"
        elif faults.take("failed_tasks", None):
            outcome = "failed"
        task = EmulatedTask(
            id=task_id,
            request=body,
            created_at=self.clock.now(),
            duration=self.task_seconds,
            outcome=outcome,
            unknown_status=faults.unknown_status,
            old_shape=old,
            expiry=self.expiry_seconds,
        )
        self.tasks[task_id] = task
        self.stats.submits_accepted += 1
        return task

    def _query(self, request: HttpRequest, path: str) -> HttpResponse:
        task = self.tasks.get(path[len(SUBMIT_PATH) + 1 :])
        if task is None:
            return _error(404, "Task not found")
        if self.faults.take("error_body_200", "query"):
            return HttpResponse(200, error_body(500, "The task could not be read", code="internal_error"))
        if self.faults.take("malformed_json", "query"):
            return HttpResponse(200, b"<html>502 Bad Gateway</html>", content_type="text/html")
        return HttpResponse(200, json_bytes(task.view(self.clock.now(), self.base_url)))

    def _upload(self, request: HttpRequest, path: str) -> HttpResponse:
        if self.faults.take("malformed_json", "upload"):
            return HttpResponse(200, b'{"success": true, "data": ')
        fields = parse_multipart(request.headers.get("content-type", ""), request.body)
        if fields is None or UPLOAD_FIELD not in fields:
            return _upload_error(400, "Send the image as the multipart/form-data field 'file'")
        data = fields[UPLOAD_FIELD]
        if len(data) > MAX_UPLOAD_BYTES:
            return _upload_error(400, f"The file has {len(data)} bytes; at most {MAX_UPLOAD_BYTES // MB} MB")
        mime = image_mime(data)
        if mime is None:
            return _upload_error(400, "Not an image the endpoint takes: JPEG, PNG, WebP or GIF")
        image_id = "img_" + "".join(self.rng.choice(_ID_ALPHABET) for _ in range(20))
        self.images[image_id + _EXTENSIONS[mime]] = (mime, data)
        url = f"{self.base_url}/files/images/{image_id}{_EXTENSIONS[mime]}"
        return HttpResponse(
            200, json_bytes({"success": True, "data": {"id": image_id, "url": url, "mime_type": mime, "size": len(data)}})
        )

    def _download(self, request: HttpRequest, path: str) -> HttpResponse:
        name = path[len("/files/videos/") :]
        task = self.tasks.get(name.removesuffix(".mp4"))
        now = self.clock.now()
        if task is None or task.status(now)[0] != Status.COMPLETED.value:
            return HttpResponse(404, b"Not Found", content_type="text/plain")
        if self.faults.expired_urls or now >= task.expires_at:
            return HttpResponse(403, b"Request has expired", content_type="text/plain")
        action = ConnectionAction.CUT if self.faults.take("cut_downloads", "download") else ConnectionAction.ANSWER
        video = self.videos.get(task.id)
        if video is not None:
            self.videos.move_to_end(task.id)
            return HttpResponse(200, video, content_type="video/mp4", action=action)
        making = self._making.get(task.id)
        if making is not None:  # being made while the task ran: wait for it, off the server's loop
            return HttpResponse(200, content_type="video/mp4", action=action, produce=making.result)
        source = AnimaticSource.of(task.request, shot=task.shot, fetch_image=self._stored_image, scale=self.video_scale)
        return HttpResponse(200, content_type="video/mp4", action=action, produce=lambda: self._made(task.id, source))

    def _prepare(self, task: EmulatedTask) -> None:
        """Start making a task's video while the task runs, as the service does (``prepare_videos``):
        its download then only sends it. Made on a thread of its own, outside the lock."""
        source = AnimaticSource.of(task.request, shot=task.shot, fetch_image=self._stored_image, scale=self.video_scale)
        making: Future[bytes] = Future()
        self._making[task.id] = making

        def make() -> None:
            try:
                making.set_result(self._made(task.id, source))
            except BaseException as err:  # the download that waits for it answers the error
                making.set_exception(err)
            finally:
                with self._lock:
                    self._making.pop(task.id, None)

        threading.Thread(target=make, name=f"hailuo-emulator-video-{task.id}", daemon=True).start()

    def preparing(self, task_id: str) -> Future[bytes] | None:
        """The video of ``task_id`` being made while its task runs (``prepare_videos``), or None
        (not asked for, or made already: then it is kept with the others)."""
        with self._lock:
            return self._making.get(task_id)

    def _made(self, task_id: str, source: AnimaticSource) -> bytes:
        """Make a task's video (off the server's loop, outside the lock: encoding takes a while) and
        keep the last few made."""
        video = task_video(source, task_id=task_id)
        with self._lock:
            self.videos[task_id] = video
            while len(self.videos) > _VIDEO_CACHE:
                self.videos.popitem(last=False)
        return video

    def _stored_image(self, url: str) -> bytes | None:
        """The bytes of an image this emulator stored at ``url``, or None (another host's URL)."""
        prefix = f"{self.base_url}/files/images/"
        if not url.startswith(prefix):
            return None
        image = self.images.get(url[len(prefix) :])
        return image[1] if image is not None else None

    def _image(self, request: HttpRequest, path: str) -> HttpResponse:
        image = self.images.get(path[len("/files/images/") :])
        if image is None:
            return HttpResponse(404, b"Not Found", content_type="text/plain")
        return HttpResponse(200, image[1], content_type=image[0])


def _invalid(body: dict[str, Any]) -> str | None:
    """Why a submit body is invalid (contract §2 and §3), or None."""
    try:
        request = VideoRequest.model_validate(body)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"]).removeprefix("Value error, ")
    urls = list(request.image_urls or [])
    if request.metadata is not None and request.metadata.last_frame_image:
        urls.append(request.metadata.last_frame_image)
    for url in urls:
        if not url.startswith(("http://", "https://")):
            return f"image URLs must be public http(s) URLs, not {url[:30]!r}"
    return None


def _seconds(value: str | None) -> float | None:
    """A ``Retry-After`` of seconds as a number (None: none, or an HTTP date)."""
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _upload_error(status: int, message: str) -> HttpResponse:
    return HttpResponse(status, json_bytes({"success": False, "message": message}))

"""Frame images for the shot tests, made with Pillow on the spot (never checked in)."""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image, ImageDraw


def make_image(path: Path, size: tuple[int, int] = (480, 640), fmt: str = "PNG", color: str = "steelblue") -> Path:
    """A small drawn image of ``size`` saved as ``fmt`` at ``path`` (its name need not match)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill="gold")
    image.save(path, format=fmt)
    return path


def truncate(path: Path, keep: float | int) -> Path:
    """Cut a file short: keep a fraction of it (float) or a number of bytes (int)."""
    data = path.read_bytes()
    size = int(len(data) * keep) if isinstance(keep, float) else keep
    path.write_bytes(data[:size])
    return path


def padded_png(path: Path, total_bytes: int, size: tuple[int, int] = (480, 640)) -> Path:
    """A valid PNG of ``size`` pixels weighing ``total_bytes``: a private ancillary chunk before
    ``IEND`` holds the padding (Pillow skips it), so a 20 MB file costs no pixel work."""
    small = make_image(path, size).read_bytes()
    end = small.rindex(b"IEND") - 4
    padding = max(0, total_bytes - len(small) - 12)
    chunk = b"prVt" + b"\x00" * padding
    data = small[:end] + struct.pack(">I", padding) + chunk + struct.pack(">I", zlib.crc32(chunk)) + small[end:]
    path.write_bytes(data)
    return path


Routes = dict[str, tuple[int, dict[str, str]]]


@contextmanager
def serve(routes: Routes, user_agents: list[str] | None = None) -> Iterator[str]:
    """A loopback HTTP server answering HEAD (and GET) with the status and headers of
    ``routes`` (404 elsewhere); yields its base URL. A route whose status is 405 answers HEAD
    with 405 and GET with 200 and the route's headers, like servers that refuse HEAD. Each
    request's User-Agent is appended to ``user_agents`` when given."""

    class Handler(BaseHTTPRequestHandler):
        def answer(self, method: str) -> None:
            if user_agents is not None:
                user_agents.append(self.headers.get("User-Agent", ""))
            status, headers = routes.get(self.path, (404, {"Content-Length": "0"}))
            if status == 405 and method == "GET":
                status = 200
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, "0" if status == 405 and key == "Content-Length" else value)
            self.end_headers()
            if method == "GET" and status == 200:
                self.wfile.write(b"x" * int(headers.get("Content-Length", "0")))

        def do_HEAD(self) -> None:
            self.answer("HEAD")

        def do_GET(self) -> None:
            self.answer("GET")

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()

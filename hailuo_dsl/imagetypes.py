"""The image formats around the API, told by their first bytes (never by a file's extension)."""

from __future__ import annotations


def image_mime(data: bytes) -> str | None:
    """The MIME type the first bytes of ``data`` announce, among the formats the upload endpoint
    takes (JPEG, PNG, WebP and GIF, which Hailuo itself does not take); None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return None

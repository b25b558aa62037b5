"""Reading a multipart/form-data body, as the upload endpoint receives it."""

from __future__ import annotations


def parse_multipart(content_type: str, body: bytes) -> dict[str, bytes] | None:
    """The fields of a multipart/form-data body by name, or None when it is not one."""
    kind, _, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        return None
    boundary = ""
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary":
            boundary = value.strip('"')
    if not boundary:
        return None
    fields: dict[str, bytes] = {}
    for part in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if part.startswith(b"--"):
            break
        head, sep, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            continue
        name = _field_name(head.decode("latin-1"))
        if name is not None:
            fields[name] = content.removesuffix(b"\r\n")
    return fields


def _field_name(head: str) -> str | None:
    for line in head.split("\r\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() == "content-disposition":
            for param in value.split(";"):
                pkey, _, pvalue = param.strip().partition("=")
                if pkey == "name":
                    return pvalue.strip('"')
    return None

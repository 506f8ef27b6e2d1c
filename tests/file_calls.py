"""Calls the file and attachment tests make again and again, and small files to upload."""

from __future__ import annotations

from typing import Any

import httpx

from .support import ORG

FILES = f"/v1/{ORG}/files"
ATTACHMENT_UPLOADS = f"{FILES}/attachment"
ATTACHMENTS = f"/v1/{ORG}/attachments"

PDF = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >> endobj\n2 0 obj << /Type /Page >> endobj\n" \
      b"3 0 obj << /Type /Page >> endobj\n%%EOF\n"
"""A two-page PDF as far as a page count goes."""
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
"""PNG's signature and every byte value, so a round trip shows no byte was changed."""

MB = 1024 * 1024


def uploading(
    api: httpx.Client, name: str = "receipt.pdf", content: bytes = PDF, *, part: str = "file",
    path: str = FILES, **params: str,
) -> httpx.Response:
    """A multipart upload as httpx sends it, the file in a part named ``part``."""
    return api.post(path, files={part: (name, content)}, params=params)


def upload(api: httpx.Client, name: str = "receipt.pdf", content: bytes = PDF, **options: Any) -> str:
    """Upload a file and answer its FileGuid."""
    response = uploading(api, name, content, **options)
    assert response.status_code == 200, response.text
    return response.json()["FileGuid"]


def multipart(*parts: tuple[str, bytes], boundary: str = "fake-dinero-boundary") -> tuple[bytes, dict[str, str]]:
    """A hand-made multipart body from (Content-Disposition, content) pairs, for part
    headers a client library would not write; answers the body and its Content-Type."""
    body = b""
    for disposition, content in parts:
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def listed(api: httpx.Client, *query: tuple[str, str], **params: str) -> list[dict[str, Any]]:
    """The archive's list (``query`` for repeated names such as ``extensions[0]``)."""
    response = api.get(FILES, params=[*query, *params.items()])
    assert response.status_code == 200, response.text
    return response.json()


def listed_guids(api: httpx.Client, *query: tuple[str, str], **params: str) -> list[str]:
    return [item["FileGuid"] for item in listed(api, *query, **params)]


def attached(api: httpx.Client, document: str) -> list[dict[str, Any]]:
    response = api.get(f"{ATTACHMENTS}/{document}")
    assert response.status_code == 200, response.text
    return response.json()


def binding(api: httpx.Client, document: str, file_guid: str, name: str = "terms.pdf") -> httpx.Response:
    return api.post(f"{ATTACHMENTS}/{document}/{file_guid}/{name}")

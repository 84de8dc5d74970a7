"""The reports subgraph as a client of the federated graph: what it prints is read through the router
with the requester's own token (so a label never shows what its requester may not read), and the PDF
is stored through the media subgraph's own upload mutations, as any client stores a file."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from subgraphs.core.base.errors import ClientError, ErrorCode

from .codes import ReportsErrorCode

GRAPH_ERROR = ReportsErrorCode.GRAPH_QUERY_FAILED


def _forwarded(code: str | None) -> ErrorCode | ReportsErrorCode:
    """Another subgraph's code, as one of the reports codes: the shared one it is, else GRAPH_QUERY_FAILED
    (the message keeps what the other side said)."""
    for codes in (ErrorCode, ReportsErrorCode):
        if code in codes.__members__:
            return codes[code]
    return GRAPH_ERROR


_TIMEOUT = httpx.Timeout(120.0, connect=10.0)

CREATE_UPLOAD = """mutation ReportUpload($input: CreateUploadInput!) {
  createUpload(input: $input) { upload { id uploadUrl } errors { code message field } } }"""
COMPLETE_UPLOAD = """mutation ReportComplete($input: CompleteUploadInput!) {
  completeUpload(input: $input) { media { id sha256 } errors { code message field } } }"""


class Graph:
    """Requests to the router on behalf of one caller (``authorization``: their header, or None)."""

    def __init__(self, url: str, authorization: str | None) -> None:
        self.url = url
        self.headers = {"accept": "application/graphql-response+json, application/json"}
        if authorization:
            self.headers["authorization"] = authorization

    async def run(self, client: httpx.AsyncClient, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The ``data`` of ``document``; any GraphQL error (a bad filter, a refused field) is a ClientError."""
        try:
            response = await client.post(self.url, json={"query": document, "variables": variables},
                                         headers=self.headers)
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ClientError(GRAPH_ERROR, f"The federated graph at {self.url} did not answer: {error}.") from None
        if body.get("errors"):
            first = body["errors"][0]
            code = (first.get("extensions") or {}).get("code")
            raise ClientError(_forwarded(code), f"The template's query failed: {first.get('message')}", "template.query")
        return body["data"]

    async def query(self, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
            return await self.run(client, document, variables)

    async def store(self, content: bytes, *, group: str, filename: str, media_type: str = "application/pdf") -> str:
        """Store ``content`` as a Media of ``group`` (createUpload, PUT, completeUpload); returns its id."""
        async with httpx.AsyncClient(timeout=_TIMEOUT) as client:
            created = _payload(await self.run(client, CREATE_UPLOAD, {"input": {
                "group": group, "filename": filename, "mediaType": media_type, "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest()}}), "createUpload")
            put = await client.put(created["upload"]["uploadUrl"], content=content,
                                   headers={"content-type": media_type})
            if put.status_code >= 300:
                raise ClientError(GRAPH_ERROR, f"The object store refused the PDF ({put.status_code}).")
            completed = _payload(await self.run(client, COMPLETE_UPLOAD, {"input": {
                "uploadId": created["upload"]["id"], "dcType": "TEXT", "caption": filename}}), "completeUpload")
            return completed["media"]["id"]


def _payload(data: dict[str, Any], field: str) -> dict[str, Any]:
    payload = data[field]
    if payload["errors"]:
        error = payload["errors"][0]
        raise ClientError(_forwarded(error["code"]), f"The PDF could not be stored: {error['message']}", "group"
                          if error.get("field") == "group" else None)
    return payload

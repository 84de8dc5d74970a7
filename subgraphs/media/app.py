"""The media (object store) subgraph, assembled: its schema and the filesystem store's file routes."""

from __future__ import annotations

import mimetypes

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from subgraphs.core.schema import federated_schema
from subgraphs.core.settings import Settings
from subgraphs.core.storage import FilesystemStore, object_store

from .schema import Media, Mutation, Person, Query

NAME = "media"
schema = federated_schema(Query, Mutation, types=[Media, Person])


def _refusal(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def routes(settings: Settings) -> list[BaseRoute]:
    """PUT and GET of stored objects by signed URL; only the filesystem store needs them (S3 signs its own)."""
    store = object_store(settings)
    if not isinstance(store, FilesystemStore):
        return []

    async def objects(request: Request) -> Response:
        key = request.path_params["key"]
        query = request.query_params
        if not store.signer.valid(request.method, key, query.get("expires"), query.get("signature")):
            return _refusal(403, "This URL is not signed for this request, or it has expired.")
        if request.method == "GET":
            path = store.path(key)
            if not path.is_file():
                return _refusal(404, "No such object.")
            return FileResponse(path, media_type=mimetypes.guess_type(key)[0] or "application/octet-stream")
        try:
            size = await store.put_stream(key, request.stream(), settings.max_upload_bytes)
        except OverflowError:
            return _refusal(413, f"Uploads are limited to {settings.max_upload_bytes:,} bytes.")
        return JSONResponse({"key": key, "size": size}, status_code=201)

    return [Route("/media/objects/{key:path}", objects, methods=["GET", "PUT"])]

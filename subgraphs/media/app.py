"""The media (object store) subgraph, assembled: its schema and the filesystem store's file routes."""

from __future__ import annotations

import mimetypes

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from subgraphs.core.data.db import Database
from subgraphs.core.runtime.settings import Settings
from subgraphs.core.schema.factory import federated_schema
from subgraphs.core.storage.storage import FilesystemStore, object_store

from .models import object_upload
from .schema import Media, Mutation, Person, Query

NAME = "media"
schema = federated_schema(Query, Mutation, types=[Media, Person])


def _refusal(status: int, code: str, message: str) -> JSONResponse:
    """The GraphQL-over-HTTP error shape, so clients read every refusal the same way."""
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status)


def routes(settings: Settings, db: Database) -> list[BaseRoute]:
    """PUT and GET of stored objects by signed URL; only the filesystem store needs them (S3 signs its own).
    A PUT is accepted only while its upload is pending: once completeUpload verified the bytes (or the
    upload expired), the URL is spent."""
    store = object_store(settings)
    if not isinstance(store, FilesystemStore):
        return []

    async def objects(request: Request) -> Response:
        key = request.path_params["key"]
        query = request.query_params
        if not store.signer.valid(request.method, key, query.get("expires"), query.get("signature")):
            return _refusal(403, "FORBIDDEN", "This URL is not signed for this request, or it has expired.")
        if request.method == "GET":
            path = store.path(key)
            if not path.is_file():
                return _refusal(404, "NOT_FOUND", "No such object.")
            return FileResponse(path, media_type=mimetypes.guess_type(key)[0] or "application/octet-stream")
        if await db.scalar(select(object_upload.c.id).where(
                object_upload.c.object_key == key, object_upload.c.expires_at > func.now())) is None:
            return _refusal(410, "UPLOAD_URL_SPENT", "This upload URL was already used (the upload is complete) or has expired.")
        try:
            size = await store.put_stream(key, request.stream(), settings.max_upload_bytes)
        except OverflowError:
            return _refusal(413, "TOO_LARGE", f"Uploads are limited to {settings.max_upload_bytes:,} bytes.")
        return JSONResponse({"key": key, "size": size}, status_code=201)

    return [Route("/media/objects/{key:path}", objects, methods=["GET", "PUT"])]

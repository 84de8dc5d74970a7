"""Where media bytes live: a local directory (the embedded default) or an S3 bucket (AWS, MinIO).

Both speak the same small interface. Keys are ``<group>/…``: one prefix per group. Clients move
bytes directly: presigned URLs for S3, HMAC-signed URLs of the media subgraph's own routes for the
filesystem store (so neither path needs the caller's token).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.runtime.settings import Settings

CHUNK = 1 << 20


class StorageUnavailable(ClientError):
    """The store could not be reached or refused to work: a typed error, never a stack trace."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.STORAGE_UNAVAILABLE, "The media store is unavailable; nothing was changed. "
                         "Try again later.")


class ObjectStore:
    """The interface: bytes in and out by key, sizes, deletion, listing, and URLs for clients."""

    async def put(self, key: str, content: bytes, media_type: str) -> None:
        raise NotImplementedError

    async def size(self, key: str) -> int | None:
        """The object's size, or None when there is no such object."""
        raise NotImplementedError

    async def read(self, key: str) -> bytes:
        raise NotImplementedError

    async def delete(self, key: str) -> None:
        raise NotImplementedError

    async def keys(self, prefix: str = "") -> list[str]:
        raise NotImplementedError

    async def ping(self) -> None:
        """Raise StorageUnavailable unless the store answers and can be written to (readiness)."""
        raise NotImplementedError

    def upload_url(self, key: str, media_type: str, expires_in: int) -> str:
        raise NotImplementedError

    def download_url(self, key: str, expires_in: int) -> str:
        raise NotImplementedError


class UrlSigner:
    """HMAC signatures for the filesystem store's upload and download routes."""

    def __init__(self, secret: bytes) -> None:
        self.secret = secret

    def sign(self, method: str, key: str, expires: int) -> str:
        return hmac.new(self.secret, f"{method}\n{key}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def query(self, method: str, key: str, expires_in: int) -> str:
        expires = int(time.time()) + expires_in
        return urlencode({"expires": expires, "signature": self.sign(method, key, expires)})

    def valid(self, method: str, key: str, expires: str | None, signature: str | None) -> bool:
        if not expires or not signature or not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(self.sign(method, key, int(expires)), signature)


def signing_secret(settings: Settings) -> bytes:
    """DINA_SIGNING_SECRET, or a random secret kept under the data dir."""
    if settings.signing_secret:
        return settings.signing_secret.encode()
    path = settings.data_dir / "signing-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


class FilesystemStore(ObjectStore):
    def __init__(self, root: Path, base_url: str, signer: UrlSigner) -> None:
        self.root, self.base_url, self.signer = root.resolve(), base_url.rstrip("/"), signer

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"key escapes the store: {key!r}")
        return path

    async def put(self, key: str, content: bytes, media_type: str) -> None:
        await asyncio.to_thread(self._write, key, content)

    def _write(self, key: str, content: bytes) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".part")
        temporary.write_bytes(content)
        os.replace(temporary, path)

    async def put_stream(self, key: str, chunks: AsyncIterator[bytes], limit: int) -> int:
        """Stream a client's upload to disk, stopping past ``limit`` bytes; returns the size written."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary, size = path.with_name(path.name + ".part"), 0
        try:
            with temporary.open("wb") as out:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise OverflowError(size)
                    out.write(chunk)
            os.replace(temporary, path)
            return size
        finally:
            temporary.unlink(missing_ok=True)

    async def size(self, key: str) -> int | None:
        path = self.path(key)
        return path.stat().st_size if path.is_file() else None

    async def read(self, key: str) -> bytes:
        return await asyncio.to_thread(self.path(key).read_bytes)

    def iter_file(self, key: str) -> Iterator[bytes]:
        with self.path(key).open("rb") as file:
            while chunk := file.read(CHUNK):
                yield chunk

    async def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    async def keys(self, prefix: str = "") -> list[str]:
        base = self.root / prefix if prefix else self.root
        if not base.exists():
            return []
        return sorted(str(p.relative_to(self.root)) for p in base.rglob("*") if p.is_file()
                      and not p.name.endswith(".part"))

    async def ping(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageUnavailable() from error
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StorageUnavailable()

    def upload_url(self, key: str, media_type: str, expires_in: int) -> str:
        return f"{self.base_url}/media/objects/{quote(key)}?{self.signer.query('PUT', key, expires_in)}"

    def download_url(self, key: str, expires_in: int) -> str:
        return f"{self.base_url}/media/objects/{quote(key)}?{self.signer.query('GET', key, expires_in)}"


class S3Store(ObjectStore):
    """An S3 bucket through boto3 (its calls run in threads: boto3 is synchronous)."""

    def __init__(self, settings: Settings) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = settings.s3_bucket

        def client(endpoint_url: str | None) -> Any:
            return boto3.client(
                "s3", endpoint_url=endpoint_url, region_name=settings.s3_region,
                aws_access_key_id=settings.s3_access_key_id, aws_secret_access_key=settings.s3_secret_access_key,
                config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, connect_timeout=5,
                              read_timeout=60, retries={"max_attempts": 3, "mode": "standard"}),
            )

        self.client: Any = client(settings.s3_endpoint_url)
        # Presigned URLs name the host they are signed for: the one clients reach (MinIO behind a public
        # name, while the subgraphs reach it on an internal one), else the endpoint the subgraphs use.
        public = settings.s3_public_endpoint_url
        self.signer: Any = client(public) if public and public != settings.s3_endpoint_url else self.client

    async def _call(self, work: Any, *args: Any, **kwargs: Any) -> Any:
        """``work`` in a thread; the store down (no connection, a server error) is StorageUnavailable."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return await asyncio.to_thread(work, *args, **kwargs)
        except BotoCoreError as error:
            raise StorageUnavailable() from error
        except ClientError as error:
            if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                raise FileNotFoundError(kwargs.get("Key")) from error
            raise StorageUnavailable() from error

    async def put(self, key: str, content: bytes, media_type: str) -> None:
        await self._call(self.client.put_object, Bucket=self.bucket, Key=key, Body=content, ContentType=media_type)

    async def size(self, key: str) -> int | None:
        try:
            head = await self._call(self.client.head_object, Bucket=self.bucket, Key=key)
        except FileNotFoundError:
            return None
        return head["ContentLength"]

    async def read(self, key: str) -> bytes:
        def get() -> bytes:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

        return await self._call(get)

    async def delete(self, key: str) -> None:
        await self._call(self.client.delete_object, Bucket=self.bucket, Key=key)

    async def keys(self, prefix: str = "") -> list[str]:
        def listing() -> list[str]:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
            return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

        return await self._call(listing)

    async def ping(self) -> None:
        try:
            await self._call(self.client.head_bucket, Bucket=self.bucket)
        except FileNotFoundError as error:  # no such bucket
            raise StorageUnavailable() from error

    def upload_url(self, key: str, media_type: str, expires_in: int) -> str:
        return self.signer.generate_presigned_url(
            "put_object", Params={"Bucket": self.bucket, "Key": key, "ContentType": media_type},
            ExpiresIn=expires_in)

    def download_url(self, key: str, expires_in: int) -> str:
        return self.signer.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_in)


_stores: dict[int, ObjectStore] = {}


def object_store(settings: Settings) -> ObjectStore:
    """The store these settings describe (one per settings object, so per app)."""
    store = _stores.get(id(settings))
    if store is None:
        if settings.storage == "s3":
            store = S3Store(settings)
        else:
            base_url = settings.public_media_url or f"http://{settings.subgraph_host}:{settings.subgraph_port}"
            store = FilesystemStore(settings.data_dir / "media", base_url, UrlSigner(signing_secret(settings)))
        _stores[id(settings)] = store
    return store

"""`Client`: GraphQL over HTTP with a token, and any connection paged by cursor into flat rows."""

from __future__ import annotations

import re
import uuid
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from graphql import GraphQLSchema
from tqdm.auto import tqdm

from . import filters as kw
from . import schema as schemas
from .auth import StaticToken, TokenSource
from .columns import DARWIN_CORE, Column, selection
from .errors import (
    AuthenticationError,
    DinaError,
    FilterError,
    TransportError,
    from_graphql_error,
    from_user_error,
)

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

ACCEPT = "application/graphql-response+json, application/json"
PAGE_SIZE = 1000  # the API's default DINA_MAX_PAGE_SIZE; a server capping lower says so, and is asked again


def _smaller_page(error: DinaError, first: int) -> int | None:
    """The page size to retry with after the server refused ``first`` rows, if the refusal is about size."""
    if error.code == "PAGE_SIZE" and (cap := re.search(r"between 0 and (\d+)", error.message)):
        return int(cap[1]) if int(cap[1]) < first else None
    return first // 2 if error.code == "QUERY_TOO_COSTLY" and first > 1 else None


class Client:
    """One DINA Graph API (the router's ``/graphql`` URL) and the login it is used with.

    ``token`` is a token string or a `TokenSource` (`OIDCLogin`, for tokens renewed before they expire).
    ``schema`` is an SDL text to check against when the server's introspection is off (production)."""

    def __init__(self, url: str, token: str | TokenSource | None = None, *, page_size: int = PAGE_SIZE,
                 progress: bool = True, timeout: float = 120.0, schema: str | None = None,
                 http: httpx.Client | None = None) -> None:
        self.url = url
        self.auth: TokenSource = StaticToken(token) if token is None or isinstance(token, str) else token
        self.page_size, self.progress = page_size, progress
        self.http = http or httpx.Client(timeout=timeout)
        self._schema: GraphQLSchema | None = schemas.from_sdl(schema) if schema else None
        self._schema_known = schema is not None
        self._last_request_id: str | None = None

    # --- GraphQL ---------------------------------------------------------------------------------

    def query(self, document: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run a query or mutation; its ``data``, or the first of its errors raised as a `DinaError`."""
        if self.schema is not None:
            schemas.validate(self.schema, document)
        return self._post(document, variables)

    def mutate(self, document: str, **input: Any) -> dict[str, Any]:
        """Run a one-field payload mutation with ``$input``; its payload, or its first ``errors`` entry raised."""
        (payload,) = self.query(document, {"input": input}).values()
        if payload["errors"]:
            raise from_user_error(payload["errors"][0], self._last_request_id)
        result: dict[str, Any] = payload
        return result

    @property
    def schema(self) -> GraphQLSchema | None:
        """The server's schema by introspection, fetched once; None (with a warning) where it is turned off."""
        if not self._schema_known:
            self._schema_known = True
            try:
                self._schema = schemas.from_introspection(self._post(schemas.introspection_query()))
            except AuthenticationError:
                self._schema_known = False
                raise
            except DinaError as refused:
                warnings.warn(f"the server refused introspection ({refused}): filters and documents go unchecked "
                              "to the server; pass Client(schema=SDL) to check them here", stacklevel=2)
        return self._schema

    def _post(self, document: str, variables: Mapping[str, Any] | None = None, retry: bool = True) -> dict[str, Any]:
        request_id = uuid.uuid4().hex
        headers = {"accept": ACCEPT, "x-request-id": request_id}
        if token := self.auth.token():
            headers["authorization"] = f"Bearer {token}"
        try:
            response = self.http.post(self.url, json={"query": document, "variables": dict(variables or {})},
                                      headers=headers)
        except httpx.HTTPError as failure:
            raise TransportError(str(failure), "UNREACHABLE", request_id=request_id) from None
        self._last_request_id = request_id = response.headers.get("x-request-id", request_id)
        if not response.headers.get("content-type", "").startswith("application/"):
            raise TransportError(f"HTTP {response.status_code}: {response.text[:200]}", f"HTTP_{response.status_code}",
                                 request_id=request_id)
        body = response.json()
        if body.get("errors"):
            error = from_graphql_error(body["errors"][0], request_id)
            if isinstance(error, AuthenticationError) and retry and self.auth.renew():
                return self._post(document, variables, retry=False)
            raise error
        data: dict[str, Any] = body["data"]
        return data

    # --- connections into rows -------------------------------------------------------------------

    def columns(self, connection: str, fields: Sequence[str] | None = None) -> list[Column]:
        """The columns a frame of ``connection`` has: its Darwin Core columns, or ``fields`` of them or of
        the node's own dotted paths (``"collectingEvent.habitat"``)."""
        known = DARWIN_CORE.get(connection)
        if known is None and self.schema is not None:
            known = schemas.default_columns(self.schema, connection)
        by_name = {c.name: c for c in known or []}
        if fields is None:
            if known is None:
                raise DinaError(f"name the fields= of {connection}: the server's schema is unknown", "NO_SCHEMA")
            return list(known)
        return [by_name.get(f) or Column(f, (f,), self._kind(connection, f)) for f in fields]

    def _kind(self, connection: str, path: str) -> str:
        return schemas.path_kind(self.schema, connection, path) if self.schema else "string"

    def pages(self, connection: str, *, filter: Mapping[str, Any] | None = None,
              fields: Sequence[str] | None = None, limit: int | None = None,
              bbox: tuple[float, float, float, float] | None = None, **keywords: Any) -> Iterator[list[dict[str, Any]]]:
        """The connection's rows, one list a page, followed by cursor (with a progress bar)."""
        columns = self.columns(connection, fields)
        where = kw.combine(filter, kw.keyword_filter(connection, keywords, self.schema), self._bbox(connection, bbox))
        node = selection(path for c in columns for path in c.paths)
        with tqdm(total=limit, unit=" rows", desc=connection, disable=not self.progress, leave=False) as bar:
            for page in self._nodes(connection, where, node, limit, bar):
                rows = [{c.name: c.value(n) for c in columns} for n in page]
                bar.update(len(rows))
                yield rows

    def _nodes(self, connection: str, where: Mapping[str, Any] | None, node: str, limit: int | None,
               bar: tqdm[Any]) -> Iterator[list[dict[str, Any]]]:
        input_type = schemas.filter_type(self.schema, connection) if self.schema else None
        filter_arg = f", filter: {kw.literal(dict(where), input_type, 'filter')}" if where else ""
        after, seen = None, 0
        while limit is None or seen < limit:
            first = self.page_size if limit is None else min(self.page_size, limit - seen)
            count = "totalCount " if after is None else ""
            # `first` is a literal: the router caches its cost check by document text, not by variables.
            document = (f"query($after: String) {{ page: {connection}(first: {first}, after: $after"
                        f"{filter_arg}) {{ {count}pageInfo {{ hasNextPage endCursor }} edges {{ node {node} }} }} }}")
            try:
                page = self._post(document, {"after": after})["page"]
            except DinaError as error:
                if (smaller := _smaller_page(error, first)) is None:
                    raise
                self.page_size = smaller  # within this server's page size or cost limit: ask again
                continue
            if "totalCount" in page:
                bar.total = page["totalCount"] if limit is None else min(limit, page["totalCount"])
                bar.refresh()
            nodes = [edge["node"] for edge in page["edges"]]
            seen += len(nodes)
            yield nodes
            if not page["pageInfo"]["hasNextPage"] or not nodes:
                return
            after = page["pageInfo"]["endCursor"]

    def _bbox(self, connection: str, bbox: tuple[float, float, float, float] | None) -> dict[str, Any] | None:
        """On events a filter of their coordinates; on samples the events inside it, by id (two steps: the
        samples' filter has no coordinates)."""
        if bbox is None:
            return None
        box = kw.bbox_filter(bbox)
        if connection == "collectingEvents":
            return box
        if connection != "materialSamples":
            raise FilterError(f"{connection} has no coordinates to filter by", "BAD_USER_INPUT", "bbox")
        events = [row["id"] for page in self.pages("collectingEvents", filter=box, fields=["id"]) for row in page]
        return {"collectingEvent": {"in": events}}

    # --- frames ----------------------------------------------------------------------------------

    def frame(self, connection: str, **options: Any) -> pd.DataFrame:
        """A DataFrame of ``connection``'s nodes: ``filter=`` (the API's input), ``fields=``, ``limit=``,
        ``bbox=(west, south, east, north)`` and keyword filters (``country="SE"``)."""
        from .tables import to_frame

        return to_frame(self.columns(connection, options.get("fields")), self.pages(connection, **options))

    def samples(self, **options: Any) -> pd.DataFrame:
        """Material samples as Darwin Core occurrences (catalogNumber, scientificName, eventDate, …)."""
        return self.frame("materialSamples", **options)

    def sequences(self, **options: Any) -> pd.DataFrame:
        return self.frame("sequences", **options)

    def events(self, **options: Any) -> pd.DataFrame:
        return self.frame("collectingEvents", **options)

    def people(self, **options: Any) -> pd.DataFrame:
        return self.frame("people", **options)

    def media(self, **options: Any) -> pd.DataFrame:
        return self.frame("mediaList", **options)

    def to_arrow(self, connection: str, **options: Any) -> pa.Table:
        """An Arrow table, built a page at a time (needs the ``arrow`` extra)."""
        import pyarrow as pa

        from .tables import arrow_schema, to_record_batch

        columns = self.columns(connection, options.get("fields"))
        target = arrow_schema(columns)
        return pa.Table.from_batches([to_record_batch(columns, rows, target) for rows in self.pages(connection, **options)],
                                     schema=target)

    def to_parquet(self, path: str | Path, connection: str, **options: Any) -> int:
        """Write a Parquet file one page at a time, so memory stays that of one page; the rows written."""
        from .tables import write_parquet

        columns = self.columns(connection, options.get("fields"))
        return write_parquet(Path(path), columns, self.pages(connection, **options))

    # --- files -----------------------------------------------------------------------------------

    def download_fasta(self, path: str | Path, **options: Any) -> int:
        """Write the sequences a filter selects as one FASTA file (the API's `Sequence.fasta`); their number.

        The API has no export job or signed download for FASTA or Darwin Core Archives
        (``dina-graph export dwca`` runs on the server), so the file is written here, page by page."""
        written = 0
        with Path(path).open("w") as out:
            for rows in self.pages("sequences", fields=["fasta"], **options):
                for row in rows:
                    out.write(row["fasta"].rstrip("\n") + "\n")
                written += len(rows)
        return written

    def upload_media(self, path: str | Path, *, group: str, subject: str | None = None, **metadata: Any) -> dict[str, Any]:
        """Upload a file as Media (checked by its sha256), attached to the sample ``subject`` if given."""
        from .uploads import upload

        return upload(self, Path(path), group, subject, metadata)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

"""Configuration from the environment (prefix ``DINA_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PAGE_SIZE = 50  # a list's page without `first`/`last`
STORAGE_BACKENDS = ("filesystem", "s3")


class ConfigurationError(Exception):
    """A setting a server cannot start without is missing or wrong: the CLI prints the message as one
    line and exits with code 2, never a traceback."""


# The checkout (the package is installed editable, here and in docker): the data dir and `.env` are found
# from it, so a command run from another directory uses the same database rather than a new, empty one.
PROJECT_ROOT = Path(__file__).resolve().parents[3]


class Settings(BaseSettings):
    # `.env` of the checkout, then of the working directory (which wins).
    model_config = SettingsConfigDict(env_prefix="DINA_", env_file=(PROJECT_ROOT / ".env", ".env"), extra="ignore",
                                      populate_by_name=True)

    # DATABASE_URL is the conventional name, so it is read without the prefix.
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    data_dir: Path = PROJECT_ROOT / ".dina"  # a relative DINA_DATA_DIR is taken from the working directory
    subgraph_host: str = "127.0.0.1"
    subgraph_port: int = 4001
    router_host: str = "127.0.0.1"
    router_port: int = 4000
    dev: bool = False  # development mode (dev signing key, GraphiQL, all groups public): `./run serve` sets it
    graphiql: bool | None = None
    introspection: bool | None = None
    max_page_size: int = 1000
    max_bulk_items: int = 1000  # items one createXs/updateXs/deleteXs may carry (core/writes/batch.py)
    # Authentication: an OIDC issuer (Keycloak realm URL) and the audience tokens must carry.
    oidc_issuer: str | None = None
    oidc_audience: str = "dina-graph"
    oidc_jwks_url: str | None = None  # default: the issuer's discovery document's jwks_uri
    groups_claim: str = "groups"
    # Groups whose records anyone may read without a token ("*": all); default "*" in dev only.
    public_groups: str | None = None
    # Media storage: "filesystem" (under data_dir/media) or "s3".
    storage: str = "filesystem"
    public_media_url: str | None = None  # base URL clients reach the media subgraph's file routes at
    signing_secret: str | None = None
    s3_endpoint_url: str | None = None
    s3_public_endpoint_url: str | None = None  # the store as clients reach it, for presigned URLs (default: the above)
    s3_region: str = "us-east-1"
    s3_bucket: str = "dina-media"
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    max_upload_bytes: int = 100_000_000
    # Darwin Core Archives are read entry by entry and refused (a zip bomb) past these.
    max_archive_bytes: int = 2_000_000_000  # uncompressed, all entries together
    max_archive_ratio: int = 200  # uncompressed / compressed size of one entry (text compresses ~10x)
    allowed_media_types: str = (
        "image/jpeg,image/png,image/tiff,image/webp,application/pdf,text/plain,text/csv,"
        "audio/mpeg,audio/wav,video/mp4,application/zip"
    )
    url_expiry_seconds: int = 3600
    # Reports: the federated graph a render reads its records through (default: this deployment's router),
    # the most labels one request may print, how many it prints at once (more: a background job), and the
    # base URL of stable identifiers (else urn:uuid:<id>).
    graph_url: str | None = None
    report_max_labels: int = 1000
    report_sync_labels: int = 200  # more labels than this render as a background job
    report_identifier_base_url: str | None = None
    max_image_pixels: int = 200_000_000  # refused from the header, before decoding (media/imaging.py)
    # Limits on what one request may ask for.
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_cost: int = 200_000
    max_selections: int = 2000  # field selections with every fragment inlined (core/limits.py)
    max_fields: int = 1000  # distinct fields once same-key selections are merged
    max_fragment_spreads: int = 500  # fragment spreads with every fragment inlined
    max_filter_terms: int = 1000  # operator conditions in one `filter:` (core/filters.py)
    max_filter_depth: int = 16  # and/or/not levels in one `filter:`
    max_search_words: int = 64
    max_body_bytes: int = 1_000_000
    # Who may read `_service { sdl }` in production: the router's shared secret (x-dina-router-secret
    # header) or client addresses (comma-separated); in dev mode anyone.
    router_secret: str | None = None
    service_addresses: str = ""
    db_pool_size: int = 10
    # The Specify broker (subgraphs/specify): a Specify 7 server and the service account it logs in as.
    specify_url: str | None = None  # unset: the broker's fields answer UPSTREAM_UNAVAILABLE
    specify_user: str | None = None
    specify_password: str | None = None
    specify_collection: str | None = None  # the collection's name or id (default: the server's first)
    specify_group: str = "specify"  # the DINA group whose roles govern reading and writing Specify records
    specify_timeout_seconds: float = 10.0
    log_level: str = "INFO"
    # OpenTelemetry traces (subgraphs and router) go to this OTLP/HTTP collector; unset: no tracing.
    otlp_endpoint: str | None = Field(default=None, validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    otel_service_name: str | None = Field(default=None, validation_alias="OTEL_SERVICE_NAME")
    log_json: bool = False  # the router and the subgraphs log JSON lines
    access_log: bool = True  # the subgraphs log one INFO line a request (method, path, status, time, request id)
    # Origins whose web pages may call the router and the media file routes: "*" (any, never with
    # credentials), a comma-separated list, or "" (none). Default "*" in dev only.
    cors_origins: str | None = None
    cors_credentials: bool = False  # cookies/Authorization from the listed origins (never from "*")
    trusted_documents: Path | None = None  # JSON {sha256: document}: the only operations the router runs

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, path: Path) -> Path:
        """Absolute, so what is logged names the place and child processes in other directories agree."""
        return path.expanduser().resolve()

    @property
    def graphiql_enabled(self) -> bool:
        return self.dev if self.graphiql is None else self.graphiql

    @property
    def introspection_enabled(self) -> bool:
        return self.dev if self.introspection is None else self.introspection

    @property
    def public_read_groups(self) -> frozenset[str]:
        value = self.public_groups if self.public_groups is not None else ("*" if self.dev else "")
        return frozenset(g.strip() for g in value.split(",") if g.strip())

    @property
    def federated_graph_url(self) -> str:
        return self.graph_url or f"http://{self.router_host}:{self.router_port}/graphql"

    @property
    def allowed_origins(self) -> list[str]:
        value = self.cors_origins if self.cors_origins is not None else ("*" if self.dev else "")
        return [o.strip() for o in value.split(",") if o.strip()]

    def check_serving(self) -> None:
        """Refuse to serve with settings production cannot run on (first problem found, by its name)."""
        if self.storage not in STORAGE_BACKENDS:
            raise ConfigurationError(f"DINA_STORAGE is {self.storage!r}: set it to filesystem or s3")
        if self.dev:
            return
        if not self.oidc_issuer:
            raise ConfigurationError(
                "production mode (DINA_DEV=false) needs DINA_OIDC_ISSUER, the OIDC realm whose tokens are "
                "trusted (e.g. https://keycloak.example.org/realms/dina); DINA_DEV=true is for development only")
        if self.storage == "filesystem" and not self.public_media_url:
            raise ConfigurationError(
                "production mode with DINA_STORAGE=filesystem needs DINA_PUBLIC_MEDIA_URL, the URL clients reach "
                "the media subgraph at (upload and download links name it); or use DINA_STORAGE=s3")

    def router_limits(self) -> dict[str, str]:
        """The router settings that do not follow dev mode; their defaults are committed for a router
        started without ``dina-graph`` (federation/router-defaults.json, written by ``dina-graph compose``)."""
        return {
            "DINA_MAX_DEPTH": str(self.max_depth),
            "DINA_MAX_ALIASES": str(self.max_aliases),
            "DINA_MAX_COST": str(self.max_cost),
            "DINA_MAX_TOKENS": str(self.max_tokens),
            "DINA_MAX_BODY_BYTES": str(self.max_body_bytes),
            "DINA_MAX_PAGE_SIZE": str(self.max_page_size),
            "DINA_DEFAULT_PAGE_SIZE": str(DEFAULT_PAGE_SIZE),
            "DINA_CORS_CREDENTIALS": "1" if self.cors_credentials else "0",
        }

    def router_env(self) -> dict[str, str]:
        """The router's whole configuration (federation/gateway.config.mjs reads it): one source."""
        flag = {True: "1", False: "0"}
        return self.router_limits() | {
            "DINA_GRAPHIQL": flag[self.graphiql_enabled],
            "DINA_INTROSPECTION": flag[self.introspection_enabled],
            "DINA_CORS_ORIGINS": ",".join(self.allowed_origins),
            "DINA_TRUSTED_DOCUMENTS": str(self.trusted_documents or ""),
            "DINA_DEV": flag[self.dev],
        } | ({"LOG_JSON": "1"} if self.log_json else {}) | self._router_tracing()

    def _router_tracing(self) -> dict[str, str]:
        """Hive Gateway's own OpenTelemetry setup (OPENTELEMETRY: the OTLP/HTTP traces URL)."""
        if not self.otlp_endpoint:
            return {}
        return {"OPENTELEMETRY": f"{self.otlp_endpoint.rstrip('/')}/v1/traces",
                "OTEL_SERVICE_NAME": "dina-router"}


@lru_cache
def get_settings() -> Settings:
    return Settings()

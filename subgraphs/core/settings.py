"""Configuration from the environment (prefix ``DINA_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DINA_", env_file=".env", extra="ignore")

    # DATABASE_URL is the conventional name, so it is read without the prefix.
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    data_dir: Path = Path(".dina")
    subgraph_host: str = "127.0.0.1"
    subgraph_port: int = 4001
    router_host: str = "127.0.0.1"
    router_port: int = 4000
    dev: bool = True
    graphiql: bool | None = None
    introspection: bool | None = None
    max_page_size: int = 1000
    fast_path: bool = True  # core/fastpath.py: lean execution of queries already run once
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
    # Limits on what one request may ask for.
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_cost: int = 200_000
    max_body_bytes: int = 1_000_000
    db_pool_size: int = 10
    log_level: str = "INFO"

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

    def router_env(self) -> dict[str, str]:
        """What the router's config reads (federation/gateway.config.mjs)."""
        return {
            "DINA_GRAPHIQL": "1" if self.graphiql_enabled else "0",
            "DINA_INTROSPECTION": "1" if self.introspection_enabled else "0",
            "DINA_MAX_DEPTH": str(self.max_depth),
            "DINA_MAX_TOKENS": str(self.max_tokens),
            "DINA_DEV": "1" if self.dev else "0",
        }


@lru_cache
def get_settings() -> Settings:
    return Settings()

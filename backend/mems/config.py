"""Settings from the environment (pydantic-settings).

Two ways to run, one code path: with no DATABASE_URL MEMS runs embedded (SQLite file under
`var/`, jobs in-process); with DATABASE_URL (PostgreSQL) and REDIS_URL it runs the production
way (arq worker). A production deployment must be given SECRET_KEY; embedded mode generates
one once and keeps it under `var/`.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mems.core.proxy import Network, parse_trusted_proxies

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["embedded", "production", "test"] = "embedded"
    database_url: str = ""
    redis_url: str = ""
    secret_key: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    var_dir: Path = PROJECT_ROOT / "var"
    spa_dir: Path = PROJECT_ROOT / "frontend" / "dist"
    # None = on in embedded mode only; true/false forces it either way.
    seed_demo: bool | None = None
    log_level: str = "INFO"
    log_json: bool = True
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    session_ttl_hours: int = Field(default=24 * 7, ge=1)
    cookie_secure: bool = False
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    # Database connections each process keeps (and never exceeds): requests beyond it wait.
    db_pool_size: int = Field(default=20, ge=1)
    # How long a request waits for one of them before it is answered 503 (busy, retry).
    db_pool_timeout: float = Field(default=30.0, gt=0)
    principal_cache_seconds: float = Field(default=5.0, ge=0)
    # The arq worker cancels a job running longer than this; a job whose worker died is run
    # again by another worker once this (plus arq's 10 s) has passed since it started.
    job_timeout_seconds: int = Field(default=300, ge=1)
    # Proxies whose X-Forwarded-For / X-Real-IP are believed (addresses or networks, comma
    # separated); none by default, so a client cannot choose its own address (core.proxy).
    trusted_proxies: str = ""
    # Where attachments are stored: empty = a folder under `var_dir` (uploads/); a path or
    # `file:///path` = that folder; `s3://bucket/optional/prefix` = an S3-compatible store
    # (endpoint and region below, credentials from the usual AWS_* variables).
    storage_url: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = ""
    # The largest attachment accepted; an upload is refused (413) as soon as it passes this.
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    # The largest spreadsheet of costs imported at once (413 past it).
    max_import_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    # A channel-data batch or webhook delivery (10,000 records fit in about 3 MB).
    max_ingest_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    # Where people reach MEMS (e.g. https://mems.example.cn): links in alert notices.
    public_url: str = ""
    # E-mail for alert channels of kind email; empty host = no e-mail.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "mems@localhost"
    smtp_starttls: bool = False

    @model_validator(mode="after")
    def _production_needs_secret(self) -> Settings:
        if self.environment == "production" and len(self.secret_key) < 32:
            raise ValueError(
                "SECRET_KEY must be set (32+ characters) when ENVIRONMENT=production; "
                "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return self

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_trusted_proxies(cls, value: str) -> str:
        parse_trusted_proxies(value)  # refuse a typo at start-up, not by silently trusting none
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[Network, ...]:
        return parse_trusted_proxies(self.trusted_proxies)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Accept the usual postgres:// forms and route them through asyncpg.
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+asyncpg://" + url[len(prefix) :]
            return url
        return f"sqlite+aiosqlite:///{self.var_dir / 'mems.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def should_seed_demo(self) -> bool:
        if self.seed_demo is not None:
            return self.seed_demo
        return self.environment == "embedded" and not self.database_url

    @property
    def uploads_dir(self) -> Path:
        return self.var_dir / "uploads"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and kept in `var/secret_key`."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


@lru_cache
def get_settings() -> Settings:
    return Settings()

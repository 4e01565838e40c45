"""Settings from the environment (prefix INTAKE_), validated once at start."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "password", "dev-secret-change-me"}


class Exporter(StrEnum):
    NONE = "none"
    CONSOLE = "console"
    OTLP_GRPC = "otlp-grpc"
    OTLP_HTTP = "otlp-http"
    DATABASE = "database"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", env_file=".env", extra="ignore")

    environment: str = "development"  # "production" refuses placeholder secrets
    database_url: str = "sqlite:///./var/intake.db"
    data_dir: Path = Path("./var")  # raw messages, page images
    host: str = "127.0.0.1"
    port: int = 8000
    api_processes: int = Field(default=1, ge=1)  # `intake serve` HTTP processes on one port
    log_level: str = "INFO"
    log_json: bool = True

    secret_key: SecretStr = SecretStr("dev-secret-change-me")
    intake_token: SecretStr | None = None  # bearer token for the intake endpoints
    mailgun_signing_key: SecretStr | None = None
    sendgrid_token: SecretStr | None = None
    postmark_user: str | None = None
    postmark_password: SecretStr | None = None
    postmark_allow_ips: list[str] = Field(default_factory=list)
    ses_topic_arns: list[str] = Field(default_factory=list)
    webhook_max_age_s: int = 300
    max_message_bytes: int = 25 * 1024 * 1024
    sender_rate_per_minute: int = 60

    llm_model: str | None = None  # set to use the LLM extractor
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 60.0
    llm_max_retries: int = 2
    llm_token_budget: int = 60_000  # per message
    llm_capture_content: bool = False  # message content on traces only when enabled

    policy_file: Path | None = None  # routing policy; the shipped default when unset
    company_timezone: str = "America/Chicago"
    base_currency: str = "USD"
    dual_control_amount: str = "50000"

    worker_embedded: bool = True  # run the job worker inside the API process (SQLite mode)
    worker_concurrency: int = 1
    worker_cpus: str = ""  # `intake worker` pinned to these CPUs: "", "auto" or "0,2-3"
    job_lease_s: int = 120
    parse_timeout_s: float = 30.0
    parse_cpu_s: int = 20
    parse_memory_mb: int = 1024
    pdf_max_pages: int = 200

    otel_exporter: Exporter = Exporter.DATABASE
    otel_endpoint: str | None = None  # OTLP collector URL
    otel_service_name: str = "order-intake"

    @field_validator("database_url")
    @classmethod
    def _normalise_postgres(cls, v: str) -> str:
        if v.startswith("postgres://"):
            v = "postgresql://" + v.removeprefix("postgres://")
        if v.startswith("postgresql://"):
            v = "postgresql+psycopg://" + v.removeprefix("postgresql://")
        return v

    @model_validator(mode="after")
    def _refuse_placeholders_in_production(self) -> Settings:
        placeholder = self.secret_key.get_secret_value() in PLACEHOLDER_SECRETS
        if self.environment == "production" and placeholder:
            raise ValueError("INTAKE_SECRET_KEY must be set to a real secret in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_model)


@lru_cache
def get_settings() -> Settings:
    return Settings()

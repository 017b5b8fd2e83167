"""The one settings object: defaults < TOML file < COOPWATCH_* environment < CLI flags."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from coopwatch.errors import ConfigError

SUPPORTED_LANGUAGES = ("de", "ru", "en")


class ImportSettings(BaseModel):
    """How pages are read and imported."""

    max_page_bytes: int = Field(
        20_000_000, gt=0, description="Pages larger than this are refused (bytes)."
    )
    progress: bool = Field(True, description="Show a progress bar on terminals.")
    workers: int = Field(
        2, ge=0, description="Processes analysing pages in large imports (0 or 1: none)."
    )
    parallel_min_bytes: int = Field(
        5_000_000, ge=0, description="Inputs at least this large use the worker processes."
    )


class ExtractSettings(BaseModel):
    """Main-text extraction and paragraph dedup."""

    min_paragraph_chars: int = Field(
        2, ge=0, description="Shorter body paragraphs are dropped as noise."
    )
    near_repeat_threshold: float = Field(
        0.8,
        gt=0,
        le=1,
        description="Word similarity at which a paragraph is a near-repeat of an earlier one.",
    )


class NerSettings(BaseModel):
    """Statistical named-entity recognition (PER/ORG/LOC)."""

    backend: Literal["spacy", "transformers"] = Field(
        "spacy",
        description="spacy: the shipped models (de/en trained spaCy, ru slovnet); "
        "transformers: nlp.ner.model.",
    )
    model: str = Field(
        "",
        description="Token-classification model (local dir or hub id), transformers backend.",
    )
    languages: list[Literal["de", "en", "ru"]] = Field(
        ["de", "en", "ru"],
        description="Languages whose NER the transformers backend runs; the others keep the "
        'shipped models (e.g. ["de"] for a German-only model).',
    )
    aggregation: Literal["simple", "first", "average", "max"] = Field(
        "first", description="How the transformers backend joins sub-word predictions into spans."
    )
    max_chunk_chars: int = Field(
        100_000,
        ge=1000,
        description="Longer texts are analysed in parts of at most this many chars.",
    )
    batch_size: int = Field(64, ge=1, description="Texts or sentences per NER batch.")

    def transformers_for(self, lang: str) -> bool:
        """Whether `lang`'s NER is the transformers model (else the shipped one)."""
        return self.backend == "transformers" and lang in self.languages

    @model_validator(mode="after")
    def _model_for_transformers(self) -> NerSettings:
        if self.backend == "transformers" and not self.model:
            raise ValueError("backend 'transformers' needs nlp.ner.model (a model dir or hub id)")
        return self


class NlpSettings(BaseModel):
    """Language handling."""

    languages: list[str] = Field(
        default_factory=lambda: list(SUPPORTED_LANGUAGES),
        description="Languages the detector may choose from (ISO 639-1).",
    )
    ner: NerSettings = Field(default_factory=NerSettings)

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if len(code) != 2 or not code.isalpha()]
        if unknown:
            raise ValueError(f"not ISO 639-1 codes: {unknown}")
        if not value:
            raise ValueError("at least one language is needed")
        return [code.lower() for code in value]


class CrawlerSettings(BaseModel):
    """Crawling: politeness, limits, WARC output and scheduling (see crawler/)."""

    sources_file: str = Field(
        "", description='Source registry TOML; "" means the one shipped in crawler/sources.toml.'
    )
    contact_url: str = Field(
        "https://github.com/coopwatch/coopwatch",
        description="Contact URL sent in the User-Agent so site owners can reach us.",
    )
    concurrent_per_domain: int = Field(
        1, ge=1, le=2, description="Concurrent requests per domain (1 or 2)."
    )
    download_delay: float = Field(
        2.0, ge=0, description="Minimum seconds between requests to one domain."
    )
    autothrottle: bool = Field(True, description="Adapt the delay to the server's latency.")
    download_timeout: float = Field(30.0, gt=0, description="Seconds before a request times out.")
    max_page_bytes: int = Field(
        10_000_000, gt=0, description="Responses larger than this are dropped (bytes)."
    )
    retry_times: int = Field(3, ge=0, description="Retries on 429, 5xx and network errors.")
    retry_backoff: float = Field(
        5.0, ge=0, description="Seconds before the first retry; doubles with each retry."
    )
    retry_after_max: float = Field(
        600.0, ge=0, description="Longest Retry-After wait honoured (seconds)."
    )
    max_requests_per_run: int = Field(
        5000, ge=1, description="Stop a source's run after this many requests."
    )
    analysis_processes: int = Field(
        2, ge=0, le=8, description="Processes analysing and storing pages (0: the crawl's own)."
    )
    analysis_worker_max_pages: int = Field(
        2000, ge=0, description="Replace an analysis process after this many pages (0: never)."
    )
    warc_max_bytes: int = Field(
        100_000_000, gt=0, description="Start a new WARC file when one reaches this size (bytes)."
    )
    jitter_seconds: int = Field(
        300, ge=0, description="Random delay added to each scheduled run (seconds)."
    )
    misfire_grace_seconds: int = Field(
        3600, ge=0, description="A run missed by less than this is still made (seconds)."
    )
    stale_after_days: float = Field(
        14.0, gt=0, description="Flag a source that stored no new article for this long (days)."
    )
    error_runs_to_flag: int = Field(
        3, ge=1, description="Flag a source whose last N runs stored only errors or nothing."
    )


class ApiSettings(BaseModel):
    """The JSON API and analyst web page (api/)."""

    host: str = Field("127.0.0.1", description="Address `coopwatch serve` listens on.")
    port: int = Field(8080, ge=1, le=65535, description="Port `coopwatch serve` listens on.")
    public_url: str = Field(
        "http://127.0.0.1:8080",
        description="Base URL people reach the web page at (used in e-mail links).",
    )
    read_requires_key: bool = Field(
        False, description="Reading the API needs a key with the read scope (else open)."
    )
    page_size: int = Field(20, ge=1, le=500, description="Default items per page.")
    max_page_size: int = Field(100, ge=1, le=1000, description="Largest `limit` a client may ask.")
    max_body_bytes: int = Field(
        65_536, ge=1024, description="Request bodies larger than this are refused (bytes)."
    )
    auth_failures_per_minute: int = Field(
        10, ge=1, description="Failed key checks per client per minute before answering 429."
    )
    shutdown_grace_seconds: float = Field(
        30.0,
        ge=0,
        description="On SIGTERM/SIGINT, seconds serve waits for requests and crawls to stop"
        " before it kills the crawls left.",
    )
    workers: int = Field(
        2,
        ge=1,
        le=64,
        description="Processes answering HTTP requests in `coopwatch serve` (one per core:"
        " searches are CPU-bound Python); the first also runs the scheduler.",
    )


class DigestSettings(BaseModel):
    """Weekly digest e-mails (api/digest/)."""

    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = Field(
        "mon", description="Day the weekly digest of the past ISO week is sent."
    )
    time: str = Field("07:30", description="Local time (HH:MM) the digest is sent; not 00:00.")
    timezone: str = Field("Europe/Berlin", description="IANA time zone of weekday and time.")
    sender: str = Field(
        "coopwatch <digest@localhost>", description="From address of digest e-mails."
    )
    secret_key: str = Field(
        "",
        description='Signs unsubscribe links; "" means a random key kept in the data directory.',
    )
    max_attempts: int = Field(
        3, ge=1, description="Tries per e-mail in one run for temporary SMTP failures."
    )
    retry_backoff: float = Field(
        30.0, ge=0, description="Seconds before the second try; doubles with each try."
    )

    @field_validator("time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        import re

        match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", value)
        if not match:
            raise ValueError("expected HH:MM (24-hour clock)")
        if value == "00:00":
            raise ValueError("choose a time other than local midnight")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class SmtpSettings(BaseModel):
    """The SMTP server digests are sent through."""

    host: str = Field("127.0.0.1", description="SMTP server host.")
    port: int = Field(25, ge=1, le=65535, description="SMTP server port (587 STARTTLS, 465 SSL).")
    security: Literal["none", "starttls", "ssl"] = Field(
        "none", description="Connection security: none, starttls or ssl."
    )
    username: str = Field("", description='Login user; "" means no login.')
    password: str = Field("", description="Login password (better set COOPWATCH_SMTP__PASSWORD).")
    timeout: float = Field(30.0, gt=0, description="Seconds before an SMTP operation times out.")
    ca_file: str = Field(
        "", description='CA bundle (PEM) to verify the server with; "" means the system\'s.'
    )


class IndexSettings(BaseModel):
    """Search index: which backend, how text is analysed, Elasticsearch connection (index/)."""

    backend: Literal["embedded", "elasticsearch", "tantivy"] = Field(
        "tantivy",
        description='"tantivy" (embedded, no server: a tantivy index in DATA_DIR/index-tantivy,'
        ' caught up from the store), "embedded" (SQLite FTS5 inside the store, one transaction'
        ' with it; slower ranking on large indexes) or "elasticsearch".',
    )
    analyzer: Literal["builtin", "spacy"] = Field(
        "builtin",
        description='Text analysis for indexing and queries: "builtin" or "spacy" lemmas.',
    )
    page_size: int = Field(20, ge=1, le=1000, description="Hits per page of search results.")
    facet_size: int = Field(20, ge=1, le=1000, description="Values shown per facet.")
    elasticsearch_url: str = Field(
        "http://127.0.0.1:9200", description="Elasticsearch URL (elasticsearch backend)."
    )
    elasticsearch_index: str = Field(
        "coopwatch",
        description="Alias searched; reindex builds NAME-<timestamp> and moves the alias.",
    )
    elasticsearch_api_key: str = Field("", description='Elasticsearch API key; "" for none.')
    elasticsearch_timeout: float = Field(
        10.0, gt=0, description="Seconds before an Elasticsearch request times out."
    )
    elasticsearch_retries: int = Field(
        3, ge=0, description="Retries of a failed bulk request before the index is marked stale."
    )
    bulk_size: int = Field(500, ge=1, description="Documents per bulk request when indexing.")
    workers: int = Field(
        0, ge=0, description="Analysis processes for reindex; 0: one per CPU core, 1: none."
    )


class Settings(BaseSettings):
    """All coopwatch settings. Build with `load_settings`, never at import time."""

    model_config = SettingsConfigDict(
        env_prefix="COOPWATCH_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    data_dir: Path = Field(
        Path("coopwatch-data"), description="Where all state lives (store, WARCs, logs)."
    )
    log_level: str = Field("WARNING", description="Python logging level for library logs.")
    ingest: ImportSettings = Field(default_factory=ImportSettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    crawler: CrawlerSettings = Field(default_factory=CrawlerSettings)
    index: IndexSettings = Field(default_factory=IndexSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Highest priority first: CLI flags, environment, TOML file, then field defaults.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build validated settings; `overrides` are CLI flags (highest priority).

    The TOML file is `config_file`, else $COOPWATCH_CONFIG, else none.
    Nested overrides use dotted keys: ``{"ingest.max_page_bytes": 10}``.
    """
    config_file = config_file or (
        Path(os.environ["COOPWATCH_CONFIG"]) if os.environ.get("COOPWATCH_CONFIG") else None
    )
    settings_cls: type[Settings] = Settings
    if config_file is not None:
        if not Path(config_file).is_file():
            raise ConfigError(f"config file not found: {config_file}")

        class FileSettings(Settings):
            model_config = SettingsConfigDict(**{**Settings.model_config, "toml_file": config_file})

        settings_cls = FileSettings
    init: dict[str, Any] = {}
    for key, value in overrides.items():
        if value is None:
            continue
        node = init
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    try:
        return settings_cls(**init)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {config_file} is not valid TOML: {exc}") from exc

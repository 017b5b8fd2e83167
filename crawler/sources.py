"""The source registry: which sites are crawled, how, and how often (crawler/sources.toml)."""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from coopwatch.errors import ConfigError
from coopwatch.settings import SUPPORTED_LANGUAGES, Settings

SHIPPED_SOURCES = Path(__file__).parent / "sources.toml"
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class SourceKind(StrEnum):
    FEED = "feed"  # RSS or Atom feed listing the newest articles
    SITEMAP = "sitemap"  # (news) sitemap, sitemap index, or robots.txt naming sitemaps
    LISTING = "listing"  # section pages with article links and numbered pagination


class Source(BaseModel):
    """One crawled source. Validated on load; see crawler/sources.toml for the fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str
    site: str
    language: str
    kind: SourceKind
    start_urls: list[str] = Field(min_length=1)
    allowed_domains: list[str] = Field(min_length=1)
    article_pattern: str
    interval_minutes: int = Field(ge=15)
    pagination_pattern: str | None = None
    max_pages: int = Field(3, ge=1, le=100)
    allow_offsite_redirects: bool = False
    allow_private_addresses: bool = False
    enabled: bool = True
    notes: str = ""

    @field_validator("key")
    @classmethod
    def _key_shape(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError("must be lower-case letters, digits and dashes")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        for url in value:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
        return value

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        for domain in value:
            if "/" in domain or ":" in domain or not domain:
                raise ValueError(
                    f"a domain is a bare host name, without scheme or port: {domain!r}"
                )
        return [domain.lower() for domain in value]

    @field_validator("article_pattern", "pagination_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        for url in self.start_urls:
            if not self.is_allowed_host(urlsplit(url).hostname or ""):
                raise ValueError(f"start URL {url} is outside allowed_domains")
        if self.kind is SourceKind.LISTING and not self.pagination_pattern:
            raise ValueError("a listing source needs pagination_pattern")
        return self

    def is_allowed_host(self, host: str) -> bool:
        """True when `host` is one of the allowed domains or a subdomain of one."""
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def is_article_url(self, url: str) -> bool:
        return re.search(self.article_pattern, url) is not None


def sources_path(settings: Settings) -> Path:
    return Path(settings.crawler.sources_file) if settings.crawler.sources_file else SHIPPED_SOURCES


def load_sources(path: Path) -> list[Source]:
    """Read and validate a registry; errors name the file, the entry and the field."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"source registry not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"source registry {path} is not valid TOML: {exc}") from exc
    unknown = set(data) - {"source"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown top-level keys {sorted(unknown)}; use [[source]] tables"
        )
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'source' must be an array of tables ([[source]])")
    sources: list[Source] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        label = f"source #{number}" + (f" ({entry.get('key')!r})" if entry.get("key") else "")
        try:
            source = Source.model_validate(entry)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}"
                for err in exc.errors()
            )
            raise ConfigError(f"{path}: {label}: {problems}") from exc
        if source.key in seen:
            raise ConfigError(f"{path}: {label}: key {source.key!r} is used twice")
        seen.add(source.key)
        sources.append(source)
    return sources


def select_sources(sources: list[Source], keys: list[str] | tuple[str, ...]) -> list[Source]:
    """The named sources (all enabled ones when none is named); unknown keys are an error."""
    if not keys:
        return [s for s in sources if s.enabled]
    by_key = {s.key: s for s in sources}
    missing = [k for k in keys if k not in by_key]
    if missing:
        raise ConfigError(f"unknown source(s): {', '.join(missing)}; see `coopwatch sources list`")
    return [by_key[k] for k in keys]

"""One exception family with stable codes; only the CLI prints them."""

from __future__ import annotations


class CoopwatchError(Exception):
    """Base of every error coopwatch raises on purpose. `code` is stable for scripts."""

    code = "E000"
    exit_status = 1


class ConfigError(CoopwatchError):
    """Settings or a config file are invalid: fix them and run again."""

    code = "E001"
    exit_status = 2


class UsageError(CoopwatchError):
    """The command was called wrongly."""

    code = "E002"
    exit_status = 2


class StoreError(CoopwatchError):
    """The store of record cannot be opened or migrated."""

    code = "E010"


class PageError(CoopwatchError):
    """One page or record cannot be imported; the reason says why. Others go on."""

    code = "E020"


class DecodeError(PageError):
    """The bytes are not a readable HTML document (binary, empty, undecodable)."""

    code = "E021"


class PageTooLarge(PageError):
    code = "E022"


class UnsupportedContent(PageError):
    """Not an HTML page (e.g. an image or a PDF)."""

    code = "E023"


class NotAnArticle(PageError):
    """A page served instead of the article: a consent wall or an error page with status 200
    (coopwatch/walls.py). Skipped, never stored as an article."""

    code = "E025"


class ExtractionError(PageError):
    """No main text could be found in the page."""

    code = "E024"


class QueryError(UsageError):
    """A search query is malformed (unbalanced quote, unknown filter, bad date or cursor)."""

    code = "E030"


class IndexUnavailable(CoopwatchError):
    """The search index cannot be reached (e.g. the Elasticsearch cluster is down)."""

    code = "E031"


class SearchIndexError(CoopwatchError):
    """The search index is unusable as it is (schema too new, wrong analyzer): reindex."""

    code = "E032"

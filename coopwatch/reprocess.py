"""`coopwatch reprocess`: run the analysis and event grouping again over stored pages.

For after a model or rule upgrade. Pages come from the store (nothing is fetched); each
article is re-analysed and saved through the same ingest step as an import, so copies,
events and (later) the index follow. Event ids that still hold stay: a report leaves its
event and rejoins the best match, which is the same event unless the new analysis disagrees.
"""

from __future__ import annotations

from collections.abc import Callable

from coopwatch.importer import ImportReport, ingest_page
from coopwatch.pipeline import PageAnalyser
from coopwatch.settings import Settings
from coopwatch.store import Store


def reprocess(
    store: Store,
    settings: Settings,
    since: str | None = None,
    on_article: Callable[[str], None] | None = None,
) -> ImportReport:
    """Re-analyse every stored article (published on or after `since`); oldest first."""
    analyser = PageAnalyser(settings)
    report = ImportReport()
    urls = [article.url for article in store.iter_articles(since=since)]
    for url in urls:
        if on_article:
            on_article(url)
        page = store.stored_page(url)
        if page is None:
            continue
        outcome = ingest_page(store, analyser, page, url, report, reanalyse=True)
        if outcome is not None:
            report.count(outcome)
    return report

"""A sample news site of coopwatch's own, served on 127.0.0.1 for tests, the bench and the demo.

Feeds, news sitemaps, paginated listings, windows-1251 pages, robots.txt disallows,
404/500/429 answers, a slow page, redirects off-site and to a private address, a huge page.
"""

from crawler.testsite.server import SiteServer

__all__ = ["SiteServer"]

"""Collect: scheduled, polite, incremental crawling of news sources into the store of record.

Scrapy and Twisted are imported only by the modules that crawl (`spiders`, `middlewares`,
`runner`), never by `sources`, `state` or `cli`, so `coopwatch --help` stays fast.
"""

"""The sample site server: a threaded HTTP server on 127.0.0.1 with a request log.

Articles are generated from short texts written for coopwatch (never copied from real news),
so any number of distinct pages can be served without files; each article has a version,
an ETag and a Last-Modified date, and answers conditional requests with 304.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from crawler.testsite.varied import event_day, varied_text

LANGUAGES = ("en", "de", "ru")
BASE_DATE = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

_TEXTS = {
    "en": {
        "title": "Kazakhstan and Belarus agree on digital services exchange, part {n}",
        "place": "ASTANA",
        "paragraphs": [
            "The governments of Kazakhstan and Belarus signed a memorandum on the exchange of "
            "experience in digital public services on day {n} of the joint working group, the "
            "ministries of digital development said.",
            "Under the agreement, specialists from Minsk will study the eGov mobile application "
            "and the proactive services that Kazakhstan launched for families with newborn "
            "children, while Kazakh engineers will visit the Belarusian interagency platform.",
            "Both sides plan to connect their registries of legal entities by the end of next "
            "year so that companies can register branches without paper documents, according "
            "to deputy minister number {n}.",
            "The working group also discussed training for civil servants: about {m} employees "
            "of regional administrations are to complete a course on data protection and the "
            "design of online services.",
            "Experts note that the two countries rank among the leaders of the region in the "
            "United Nations e-government survey and see joint projects as a way to speed up "
            "the digital transformation of public administration.",
        ],
    },
    "de": {
        "title": "Kasachstan und Belarus tauschen Erfahrungen bei digitalen Diensten aus, Teil {n}",
        "place": "MINSK",
        "paragraphs": [
            "Die Regierungen von Kasachstan und Belarus haben am Tag {n} der gemeinsamen "
            "Arbeitsgruppe eine Absichtserklärung über den Erfahrungsaustausch bei digitalen "
            "Verwaltungsdiensten unterzeichnet, teilten die Ministerien mit.",
            "Nach der Vereinbarung werden Fachleute aus Minsk die mobile Anwendung eGov und die "
            "proaktiven Dienste für Familien mit Neugeborenen untersuchen, die Kasachstan "
            "eingeführt hat, während kasachische Ingenieure die belarussische Plattform besuchen.",
            "Beide Seiten wollen ihre Register der juristischen Personen bis Ende des nächsten "
            "Jahres verbinden, damit Unternehmen Filialen ohne Papierdokumente anmelden können, "
            "sagte der stellvertretende Minister Nummer {n}.",
            "Die Arbeitsgruppe sprach auch über Schulungen für Beamte: Rund {m} Mitarbeiter der "
            "Gebietsverwaltungen sollen einen Kurs über Datenschutz und die Gestaltung von "
            "Online-Diensten absolvieren.",
            "Fachleute weisen darauf hin, dass beide Länder im Index der Vereinten Nationen für "
            "elektronische Verwaltung zu den führenden Staaten der Region gehören und gemeinsame "
            "Projekte als Weg sehen, die Digitalisierung zu beschleunigen.",
        ],
    },
    "ru": {
        "title": "Казахстан и Беларусь обменяются опытом цифровых услуг, часть {n}",
        "place": "АСТАНА",
        "paragraphs": [
            "Правительства Казахстана и Беларуси подписали меморандум об обмене опытом в сфере "
            "цифровых государственных услуг на {n}-м заседании совместной рабочей группы, "
            "сообщили министерства цифрового развития.",
            "Согласно документу, специалисты из Минска изучат мобильное приложение eGov и "
            "проактивные услуги для семей с новорожденными детьми, которые запустил Казахстан, "
            "а казахстанские инженеры посетят белорусскую межведомственную платформу.",
            "Стороны планируют до конца следующего года связать реестры юридических лиц, чтобы "
            "компании могли регистрировать филиалы без бумажных документов, сообщил заместитель "
            "министра номер {n}.",
            "Рабочая группа также обсудила обучение государственных служащих: около {m} "
            "сотрудников областных администраций пройдут курс по защите данных и проектированию "
            "онлайн-услуг.",
            "Эксперты отмечают, что обе страны входят в число лидеров региона в рейтинге "
            "электронного правительства ООН и рассматривают совместные проекты как способ "
            "ускорить цифровую трансформацию государственного управления.",
        ],
    },
}

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="{charset}">
<title>{title} | Sample News</title>
<link rel="canonical" href="{url}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
</head>
<body>
<header><nav><a href="/">Home</a> | <a href="/list/">News</a> | <a href="/about">About</a>
</nav></header>
<main>
<article>
<h1>{title}</h1>
<p class="meta"><time datetime="{published}">{date}</time></p>
{body}
</article>
</main>
<aside><h2>Most read</h2><ul><li><a href="/list/">All news</a></li></ul></aside>
<footer><p>Sample News is a site made for testing coopwatch.</p></footer>
</body>
</html>
"""


_NAV = (
    '<header><nav><a href="/">Home</a> | <a href="/list/">News</a> | <a href="/about">About</a>'
    "</nav></header>"
)
_BANNER = (
    '<div id="cmp-banner" class="cookie-consent"><p>Wir verwenden Cookies, um Inhalte zu '
    "personalisieren und Zugriffe zu analysieren. Mit einem Klick auf „Zustimmen“ sind Sie "
    "damit einverstanden.</p><button>Zustimmen</button> <button>Einstellungen</button></div>"
)


def _wall(lang: str, title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}'
        f"</title></head><body>{_NAV}<main>{body}</main>"
        "<footer><p>Sample News</p></footer></body></html>"
    )


# Pages answered with 200 that are no article (coopwatch/walls.py recognises them).
WALLS = {
    # Consent interstitials: the prompt is all there is.
    "consent": _wall(
        "en",
        "Before you continue | Sample News",
        "<h1>We value your privacy</h1><p>We use cookies and similar technologies to store "
        "and access information on your device. Click Accept all to consent, or manage your "
        "choices.</p><button>Accept all</button><button>Reject all</button>",
    ),
    "zustimmung": _wall(
        "de",
        "Sample News",
        _BANNER.replace("cookie-consent", "cmp-wrapper"),
    ),
    "soglasie": _wall(
        "ru",
        "Sample News",
        "<p>Мы используем cookies для улучшения работы сайта. Продолжая пользоваться сайтом, "
        "вы соглашаетесь с обработкой персональных данных.</p><button>Принять</button>",
    ),
    # Error pages served with status 200 ("soft 404").
    "missing": _wall(
        "de",
        "Seite nicht gefunden | Sample News",
        "<h1>Seite nicht gefunden</h1><p>Die angeforderte Seite existiert nicht oder wurde "
        'verschoben. Zur <a href="/">Startseite</a>.</p>',
    ),
    "net": _wall(
        "ru",
        "Sample News",
        "<h1>Ошибка 404</h1><p>Страница не найдена. Возможно, она была удалена.</p>",
    ),
    "nothing": _wall(
        "en",
        "Page not found | Sample News",
        _BANNER + "<h1>Page not found</h1><p>Sorry, the page you asked for does not exist. "
        "Try the search or the latest news.</p>",
    ),
}


@dataclass(slots=True)
class Article:
    slug: str
    number: int
    language: str
    version: int = 1
    modified: datetime = BASE_DATE
    charset: str = "utf-8"

    @property
    def path(self) -> str:
        return f"/news/{self.slug}.html"

    @property
    def etag(self) -> str:
        return f'"{self.slug}-v{self.version}"'


@dataclass(slots=True)
class LoggedRequest:
    path: str
    status: int
    headers: dict[str, str]
    at: float  # when the answer started to go out (monotonic clock)
    started: float = 0.0  # when the request arrived


@dataclass
class SiteState:
    articles: dict[str, Article] = field(default_factory=dict)
    log: list[LoggedRequest] = field(default_factory=list)
    busy_hits: int = 0
    served: int = 0  # answers sent, counted even when the log is off (bench)
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(default_factory=threading.Condition)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out and hang up are part of the tests


class SiteServer:
    """The sample site. Use as a context manager; `url(path)` gives absolute URLs."""

    def __init__(
        self,
        articles: int = 12,
        *,
        listing_page_size: int = 5,
        sitemap_chunk: int = 1000,
        slow_seconds: float = 5.0,
        article_delay: float = 0.0,
        huge_bytes: int = 3_000_000,
        log_requests: bool = True,
        event_size: int = 0,
    ):
        self.state = SiteState()
        self.listing_page_size = listing_page_size
        self.sitemap_chunk = sitemap_chunk
        self.slow_seconds = slow_seconds
        self.article_delay = article_delay
        self.huge_bytes = huge_bytes
        self.log_requests = log_requests
        # > 0: varied articles (crawler/testsite/varied.py), `event_size` per reported event.
        self.event_size = event_size
        for _number in range(articles):
            self.add_article()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> SiteServer:
        handler = type("Handler", (_Handler,), {"site": self})
        self._httpd = _QuietServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    # -- content -------------------------------------------------------------------------------

    def add_article(self, language: str | None = None) -> Article:
        with self.state.lock:
            number = len(self.state.articles)
            language = language or LANGUAGES[number % len(LANGUAGES)]
            modified = BASE_DATE + timedelta(hours=number)
            if self.event_size:  # one day per event, going back in time
                day = event_day(number, self.event_size, BASE_DATE.date())
                modified = BASE_DATE.replace(year=day.year, month=day.month, day=day.day)
                modified += timedelta(minutes=number % self.event_size)
            article = Article(
                slug=f"story-{number:05d}",
                number=number,
                language=language,
                modified=modified,
            )
            self.state.articles[article.slug] = article
            return article

    def change_article(self, slug: str) -> Article:
        """A new version: other text, new ETag, later Last-Modified and sitemap lastmod."""
        with self.state.lock:
            article = self.state.articles[slug]
            article.version += 1
            article.modified = article.modified + timedelta(days=30 * article.version)
            return article

    def article_ids(self) -> list[str]:
        return sorted(self.state.articles)

    def newest_first(self) -> list[Article]:
        return sorted(self.state.articles.values(), key=lambda a: a.modified, reverse=True)

    def render_article(self, article: Article) -> str:
        texts = _TEXTS[article.language]
        n = article.number + 1
        paragraphs = [p.format(n=n, m=100 + n) for p in texts["paragraphs"]]
        title = texts["title"].format(n=n)
        place = texts["place"]
        if self.event_size and article.slug.startswith("story-"):  # not the trouble pages
            varied = varied_text(
                article.number, article.language, self.event_size, BASE_DATE.date()
            )
            title, place, paragraphs = varied.title, varied.place, list(varied.paragraphs)
        if article.version > 1:
            paragraphs.append(
                {
                    "en": "Update {v}: the ministries published the schedule of the next "
                    "meeting of the working group and the list of pilot services.",
                    "de": "Aktualisierung {v}: Die Ministerien veröffentlichten den Zeitplan des "
                    "nächsten Treffens und die Liste der Pilotdienste.",
                    "ru": "Обновление {v}: министерства опубликовали график следующего заседания "
                    "рабочей группы и перечень пилотных услуг.",
                }[article.language].format(v=article.version)
            )
        first = f"{place}, {article.modified:%d.%m.%Y}. {paragraphs[0]}"
        body = "\n".join(f"<p>{escape(p)}</p>" for p in [first, *paragraphs[1:]])
        return _PAGE.format(
            lang=article.language,
            charset=article.charset,
            title=escape(title),
            url=self.url(article.path),
            published=article.modified.date().isoformat(),
            date=f"{article.modified:%d.%m.%Y}",
            body=body,
        )

    # -- request log ---------------------------------------------------------------------------

    def log(
        self, path: str, status: int, headers: dict[str, str], started: float, answered: float
    ) -> None:
        if not self.log_requests:
            with self.state.lock:
                self.state.served += 1
            return
        with self.state.changed:
            self.state.served += 1
            self.state.log.append(LoggedRequest(path, status, headers, answered, started))
            self.state.changed.notify_all()

    @property
    def served(self) -> int:
        return self.state.served

    def requests_for(self, path: str) -> list[LoggedRequest]:
        with self.state.changed:
            return [r for r in self.state.log if r.path == path]

    def article_fetches(self, status: int | None = 200) -> list[str]:
        """Paths of article pages answered (with `status`, or any when None), in order."""
        with self.state.changed:
            return [
                r.path
                for r in self.state.log
                if r.path.startswith("/news/") and (status is None or r.status == status)
            ]

    def wait_for(self, predicate, timeout: float = 60.0) -> bool:
        """Block until `predicate(self)` is true (re-checked on each request) or timeout."""
        deadline = time.monotonic() + timeout
        with self.state.changed:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.state.changed.wait(remaining)
        return True

    def clear_log(self) -> None:
        with self.state.changed:
            self.state.log.clear()


class _Handler(BaseHTTPRequestHandler):
    site: SiteServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle's algorithm and delayed
    # ACKs hold every keep-alive answer back for ~40 ms.
    disable_nagle_algorithm = True
    server_version = "SampleNews/1.0"

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        headers = {k.lower(): v for k, v in self.headers.items()}
        started = self.answered = time.monotonic()
        try:
            status = self._route(path, query, headers)
        except (BrokenPipeError, ConnectionResetError):
            status = 499
        self.site.log(
            path if not parts.query else f"{path}?{parts.query}",
            status,
            headers,
            started,
            self.answered,
        )

    # -- answers -------------------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes | str = b"",
        content_type: str = "text/html; charset=utf-8",
        extra: dict[str, str] | None = None,
        compress: bool = False,
    ) -> int:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.answered = time.monotonic()  # before a byte goes out: the client cannot be faster
        self.send_response(status)
        if compress and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(data, 5)
            self.send_header("Content-Encoding", "gzip")
        if status != 304:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if status != 304 else 0))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if status != 304:
            self.wfile.write(data)
        return status

    def _route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> int:
        site = self.site
        if path == "/robots.txt":
            return self._send(
                200,
                f"User-agent: *\nDisallow: /news/private/\n\nSitemap: {site.url('/sitemap.xml')}\n",
                "text/plain",
            )
        if path == "/feed.xml":
            return self._send(200, self._rss(site.newest_first()), "application/rss+xml")
        if path == "/atom.xml":
            return self._send(200, self._atom(site.newest_first()), "application/atom+xml")
        if path == "/walled.xml":
            return self._send(200, self._walled_feed(), "application/rss+xml")
        if path == "/trouble.xml":
            return self._send(200, self._trouble_feed(), "application/rss+xml")
        if path == "/sitemap.xml":
            return self._send(200, self._urlset(site.newest_first()), "application/xml")
        if path == "/sitemap-index.xml":
            return self._send(200, self._sitemap_index(), "application/xml")
        if path.startswith("/sitemaps/") and path.endswith(".xml"):
            chunk = int(path.removeprefix("/sitemaps/").removesuffix(".xml"))
            ordered = sorted(site.state.articles.values(), key=lambda a: a.number)
            size = site.sitemap_chunk
            return self._send(
                200, self._urlset(ordered[chunk * size : (chunk + 1) * size]), "application/xml"
            )
        if path == "/list/":
            return self._listing(int(query.get("page", ["1"])[0]))
        if path.startswith("/news/"):
            return self._news(path, headers)
        return self._send(404, "<html><body><h1>Not found</h1></body></html>")

    def _news(self, path: str, headers: dict[str, str]) -> int:
        site = self.site
        name = path.removeprefix("/news/").removesuffix(".html")
        if name == "private/secret":
            return self._send(200, "<html><body><p>robots.txt forbids this page</p></body></html>")
        if name == "gone":
            return self._send(404, "<html><body><h1>Page not found</h1></body></html>")
        if name == "broken":
            return self._send(500, "<html><body><h1>Internal error</h1></body></html>")
        if name == "busy":
            with site.state.lock:
                site.state.busy_hits += 1
                first = site.state.busy_hits == 1
            if first:
                return self._send(429, "slow down", "text/plain", {"Retry-After": "1"})
            article = Article("busy", 900, "en", modified=BASE_DATE)
            return self._send(200, site.render_article(article))
        if name == "slow":
            time.sleep(site.slow_seconds)
            return self._send(200, "<html><body><p>too late</p></body></html>")
        if name == "moved":
            return self._send(302, extra={"Location": "http://elsewhere.example/news/moved.html"})
        if name == "inside":
            target = f"http://localhost:{site.port}/news/story-00000.html"
            return self._send(302, extra={"Location": target})
        if name == "huge":
            filler = "<p>" + "Lorem ipsum dolor sit amet. " * 40 + "</p>\n"
            body = "<html><body>" + filler * (site.huge_bytes // len(filler) + 1) + "</body></html>"
            return self._send(200, body)
        if name in WALLS:
            return self._send(200, WALLS[name])
        if name == "to-consent":  # the way some sites send visitors to a consent service
            target = f"http://consent.example/?continue={site.url(path)}"
            return self._send(302, extra={"Location": target})
        if name == "banner":  # a real article under a cookie banner: stored like any other
            article = Article("banner", 902, "de", modified=BASE_DATE)
            html = site.render_article(article).replace("<body>", "<body>" + _BANNER, 1)
            return self._send(200, html)
        if name == "cp1251":
            article = Article("cp1251", 901, "ru", modified=BASE_DATE, charset="windows-1251")
            html = site.render_article(article)
            return self._send(200, html.encode("windows-1251"), "text/html; charset=windows-1251")
        article = site.state.articles.get(name)
        if article is None:
            return self._send(404, "<html><body><h1>Page not found</h1></body></html>")
        if site.article_delay:
            time.sleep(site.article_delay)
        if headers.get("if-none-match") == article.etag:
            return self._send(304, extra={"ETag": article.etag})
        since = headers.get("if-modified-since")
        if since and "if-none-match" not in headers:
            try:
                if parsedate_to_datetime(since) >= article.modified.replace(microsecond=0):
                    return self._send(304)
            except (TypeError, ValueError):
                pass
        return self._send(
            200,
            site.render_article(article),
            extra={"ETag": article.etag, "Last-Modified": format_datetime(article.modified, True)},
            compress=True,
        )

    def _listing(self, page: int) -> int:
        site = self.site
        articles = site.newest_first()
        size = site.listing_page_size
        chunk = articles[(page - 1) * size : page * size]
        if not chunk:
            return self._send(404, "<html><body><h1>No such page</h1></body></html>")
        items = "\n".join(
            f'<li><a href="{a.path}?utm_source=list">{a.slug}</a></li>' for a in chunk
        )
        pager = ""
        if page * size < len(articles):
            pager = f'<a class="next" href="/list/?page={page + 1}">Next page</a>'
        return self._send(
            200,
            f"<html><body><h1>News, page {page}</h1><ul>{items}</ul>{pager}"
            '<a href="/about">About</a></body></html>',
        )

    def _rss(self, articles: list[Article]) -> str:
        site = self.site
        items = "".join(
            f"<item><title>{a.slug}</title><link>{site.url(a.path)}</link>"
            f"<pubDate>{format_datetime(a.modified, True)}</pubDate></item>"
            for a in articles
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Sample News</title><link>{site.base}/</link>{items}</channel></rss>"
        )

    def _atom(self, articles: list[Article]) -> str:
        site = self.site
        entries = "".join(
            f'<entry><title>{a.slug}</title><link rel="alternate" href="{site.url(a.path)}"/>'
            f"<id>{site.url(a.path)}</id><updated>{a.modified.isoformat()}</updated></entry>"
            for a in articles
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Sample News</title>{entries}</feed>"
        )

    def _trouble_feed(self) -> str:
        site = self.site
        names = [
            "private/secret",
            "gone",
            "broken",
            "busy",
            "slow",
            "moved",
            "inside",
            "huge",
            "cp1251",
        ]
        items = "".join(
            f"<item><title>{n}</title><link>{site.url(f'/news/{n}.html')}</link></item>"
            for n in names
        )
        items += "<item><title>away</title><link>http://elsewhere.example/news/x.html</link></item>"
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Trouble</title>{items}</channel></rss>"
        )

    def _walled_feed(self) -> str:
        """Only consent walls and error pages: a source that yields nothing storable."""
        site = self.site
        items = "".join(
            f"<item><title>{n}</title><link>{site.url(f'/news/{n}.html')}</link></item>"
            for n in [*WALLS, "to-consent"]
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Walled</title>{items}</channel></rss>"
        )

    def _urlset(self, articles: list[Article]) -> str:
        site = self.site
        urls = "".join(
            f"<url><loc>{site.url(a.path)}</loc><lastmod>{a.modified.isoformat()}</lastmod>"
            "<news:news><news:publication><news:name>Sample News</news:name>"
            f"<news:language>{a.language}</news:language></news:publication>"
            f"<news:publication_date>{a.modified.isoformat()}</news:publication_date>"
            f"<news:title>{a.slug}</news:title></news:news></url>"
            for a in articles
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>"
        )

    def _sitemap_index(self) -> str:
        site = self.site
        count = len(site.state.articles)
        chunks = (count + site.sitemap_chunk - 1) // site.sitemap_chunk
        maps = "".join(
            f"<sitemap><loc>{site.url(f'/sitemaps/{k}.xml')}</loc></sitemap>" for k in range(chunks)
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{maps}</sitemapindex>"
        )

"""The analyst web page in a real headless browser (Debian's chromium driven by Playwright):
pages render, links and filters work without JavaScript, crawled text never runs as script."""

from __future__ import annotations

import contextlib
import io
import threading
import time
from pathlib import Path

import pytest
from apiseed import SCRIPT, free_port

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium)"
)


@contextlib.contextmanager
def _serve(settings):
    """The real app under uvicorn on 127.0.0.1, in a thread of this process."""
    import uvicorn

    from api.app import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):  # wait until it listens (bounded; not a timing assertion)
        if server.started:
            break
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def live_server(settings, seeded_store):
    with _serve(settings) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"a page opened a dialog: {dialog.message}"))
    yield page
    context.close()


def assert_rendered(page, tmp_path: Path, name: str) -> None:
    """The screenshot is not blank: many colours, and much of it is not background."""
    from PIL import Image

    png = page.screenshot(full_page=True, path=str(tmp_path / f"{name}.png"))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.resize((200, max(1, 200 * image.height // image.width)))
    colours = small.getcolors(maxcolors=100_000) or []
    background = max(colours)[1]
    foreground = sum(n for n, colour in colours if colour != background)
    assert len(colours) > 20, f"{name}: only {len(colours)} colours"
    assert foreground > 0.2 * small.width * small.height, f"{name}: mostly background"


def test_search_page_shows_results_facets_and_charts(live_server, page, tmp_path):
    page.goto(live_server + "/")
    assert page.title() == "coopwatch – search"
    assert page.inner_text("#result-count") == "4 events"
    assert page.locator("#timeline-chart rect").count() >= 4
    assert page.locator("#network-chart circle").count() == 5  # BY KZ DE UZ RU
    assert page.get_by_role("link", name="Belarus", exact=True).is_visible()
    assert_rendered(page, tmp_path, "search")


def test_searching_highlights_matches_in_any_language(live_server, page, tmp_path):
    page.goto(live_server + "/")
    page.fill("input[name=q]", "Турчин")
    page.click("button[type=submit]")  # a plain GET form: no JavaScript needed
    assert page.inner_text("#result-count") == "1 result"
    assert "Турчин" in page.locator("mark").all_inner_texts()
    assert "report in Russian, www.belta.by" in page.inner_text(".result .meta")
    page.locator(".result h2 a").click()  # a report leads to its event
    assert page.url.endswith("/events/evt-bykz1")
    assert_rendered(page, tmp_path, "search-ru")


def test_search_matches_inflected_forms_through_the_index(live_server, page):
    page.goto(live_server + "/?q=Familienkarten")  # the report says "Familienkarte"
    assert page.inner_text("#result-count") == "1 result"
    assert page.locator("mark").all_inner_texts() == ["Familienkarte"]
    page.goto(live_server + "/?q=%22unbalanced")
    assert "unbalanced quote" in page.inner_text("[role=alert]")


def test_search_falls_back_to_text_matching_when_the_index_is_down(settings, seeded_store, page):
    settings.index.backend = "elasticsearch"
    settings.index.elasticsearch_url = f"http://127.0.0.1:{free_port()}"  # nothing listens
    settings.index.elasticsearch_retries = 0
    with _serve(settings) as base:
        page.goto(base + "/?q=Familienkarte")
        assert "search index is unavailable" in page.inner_text("[role=status]")
        assert page.inner_text("#result-count") == "1 result"
        assert page.locator("mark").first.inner_text() == "Familienkarte"


def test_facet_links_filter_the_results(live_server, page):
    page.goto(live_server + "/")
    page.locator("aside").get_by_role("link", name="Agreement").click()
    assert page.inner_text("#result-count") == "1 event"
    assert "Germany and Uzbekistan" in page.inner_text("main")


def test_event_page_groups_reports_by_language_with_provenance(live_server, page, tmp_path):
    page.goto(live_server + "/events/evt-old1")  # a merged id redirects to the survivor
    assert page.url.endswith("/events/evt-bykz1")
    text = page.inner_text("main")
    for expected in (
        "German (1)",
        "Russian (1)",
        "Turtschin besucht Astana",
        "Турчин в Астане",
        "Premierminister; премьер-министр",
        "Digital Family Card",
        "paragraph 2",
        "Wir kooperieren bereits seit Längerem mit Kasachstan",
    ):
        assert expected in text, expected
    row = page.locator("#metrics tbody tr").first.inner_text()
    assert "UN Online Services Index" in row and "deu.belta.by" in row
    assert_rendered(page, tmp_path, "event")


def test_actor_page_lists_name_variants_in_every_script(live_server, page, tmp_path):
    page.goto(live_server + "/actors/person:alexander-turchin")
    names = page.locator("#names tbody td:first-child").all_inner_texts()
    assert set(names) == {"Alexander Turtschin", "Александр Турчин", "Alexander Turchin"}
    assert page.get_by_role("link", name="Germany and Uzbekistan sign e-government agreement")
    assert_rendered(page, tmp_path, "actor")


def test_script_in_a_crawled_article_never_runs(live_server, page):
    for path in ("/", "/?q=hostile", "/events/evt-bykz2", "/v1/digests/2026-W45?format=html"):
        page.goto(live_server + path)
        assert page.evaluate("window.pwned") is None, path
        assert page.title() != "pwned", path
    page.goto(live_server + "/events/evt-bykz2")
    assert SCRIPT in page.inner_text("h1")  # shown as text, not run
    assert page.locator("main script, main img").count() == 0


def test_missing_event_is_a_readable_404_page(live_server, page):
    response = page.goto(live_server + "/events/evt-none")
    assert response.status == 404
    assert "no event 'evt-none'" in page.inner_text("main")


def test_unsubscribe_in_the_browser(live_server, page, settings, seeded_store):
    from api.digest.subscriptions import Subscriptions
    from api.digest.tokens import unsubscribe_token

    sub = Subscriptions(seeded_store.conn).add("web@example.org")
    page.goto(f"{live_server}/unsubscribe?token={unsubscribe_token(settings, sub.id)}")
    page.get_by_role("button", name="Unsubscribe").click()
    assert "You are unsubscribed" in page.inner_text("main")
    assert not Subscriptions(seeded_store.conn).get(sub.id).active


def test_login_form_opens_a_session_when_reading_needs_a_key(
    settings, seeded_store, page, tmp_path
):
    from PIL import Image

    from api.auth import SESSION_COOKIE, ApiKeys

    settings.api.read_requires_key = True
    reader = ApiKeys(seeded_store.conn).create("analyst", ["read"])
    writer_only = ApiKeys(seeded_store.conn).create("bot", ["subscriptions"])
    with _serve(settings) as base:
        page.goto(base + "/events/evt-bykz1")  # no session: to the login form, then back
        assert "/login?next=" in page.url
        assert page.locator("#login-form input[type=password]").is_visible()
        card = Image.open(io.BytesIO(page.locator(".card").screenshot()))
        assert len(card.convert("RGB").getcolors(maxcolors=100_000) or []) > 20  # text drawn
        page.fill("input[name=key]", reader[:-2] + "xx")
        page.get_by_role("button", name="Log in").click()
        assert "not valid" in page.inner_text("#login-problem")
        page.fill("input[name=key]", writer_only)
        page.get_by_role("button", name="Log in").click()
        assert "lacks the scope read" in page.inner_text("#login-problem")
        page.fill("input[name=key]", reader)
        page.get_by_role("button", name="Log in").click()
        assert page.url == base + "/events/evt-bykz1"
        assert "Turtschin besucht Astana" in page.inner_text("main")
        [cookie] = [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert reader.split("_", 2)[2] not in cookie["value"]  # the key's secret is not in it
        assert page.evaluate("document.cookie") == ""  # scripts cannot read it
        page.goto(base + "/?q=Familienkarte")  # the session holds across pages
        assert page.locator("mark").first.inner_text() == "Familienkarte"
        # a session only reads: changing state still needs the key itself
        denied = page.request.post(base + "/v1/subscriptions", data={"email": "a@example.org"})
        assert denied.status == 401
        page.get_by_role("button", name="Log out").click()
        assert "/login" in page.url
        page.goto(base + "/")
        assert "/login?next=" in page.url
        # a revoked key ends its sessions
        page.fill("input[name=key]", reader)
        page.get_by_role("button", name="Log in").click()
        assert page.inner_text("#result-count") == "4 events"
        ApiKeys(seeded_store.conn).revoke(reader.split("_")[1])
        page.goto(base + "/")
        assert "/login?next=" in page.url

"""Syndicated copies: found through the real import, persisted in the store, never guessed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coopwatch.importer import import_paths
from coopwatch.records import Article, FetchedPage, article_id_for
from coopwatch.settings import Settings
from coopwatch.store import Store
from coopwatch.urls import canonical_url
from nlp import syndication

# An agency report, written for this test.
STORY = [
    "BISCHKEK, 14. März (Zentralasien-Agentur) - Kirgisistan und Usbekistan haben am Montag in "
    "Bischkek ein Abkommen über den Austausch elektronischer Dokumente zwischen ihren "
    "Verwaltungen unterzeichnet.",
    "Das Dokument sieht vor, dass Behörden beider Länder Geburtsurkunden, Führerscheine und "
    "Bescheinigungen über Steuerschulden künftig über einen geschützten Kanal abrufen können, "
    "ohne dass die Bürger Papiere beglaubigen lassen müssen.",
    "Unterzeichnet wurde das Abkommen vom kirgisischen Digitalminister Nurbek Tschalow und "
    "seinem usbekischen Amtskollegen Scherzod Schermatow am Rande einer Regierungskonferenz "
    "über digitale Verwaltung in Zentralasien.",
    "„Wer auf der anderen Seite der Grenze arbeitet oder studiert, soll seine Angelegenheiten in "
    "Minuten erledigen und nicht in Wochen“, sagte Tschalow vor Journalisten nach der "
    "feierlichen Unterzeichnung im Regierungsgebäude.",
    "In einer ersten Phase sollen zwölf staatliche Dienstleistungen angebunden werden. Bis Ende "
    "2026 wollen beide Seiten die Zahl auf vierzig erhöhen und auch Kasachstan zur Teilnahme an "
    "dem Datenaustausch einladen.",
    "Die technische Umsetzung übernehmen die staatlichen Betreiber der nationalen "
    "Datenaustauschplattformen, die bereits seit dem vergangenen Herbst gemeinsame Tests mit "
    "anonymisierten Datensätzen durchgeführt haben.",
]
# The same event, reported independently by another outlet (same names and figures).
INDEPENDENT = [
    "Bischkek und Taschkent wollen Behördengänge über die Grenze hinweg überflüssig machen. Am "
    "Montag setzten die Digitalminister beider Staaten ihre Unterschriften unter eine "
    "Vereinbarung zum Dokumentenaustausch.",
    "Nurbek Tschalow aus Kirgisistan und Scherzod Schermatow aus Usbekistan trafen sich dafür "
    "in der kirgisischen Hauptstadt, wo gerade eine Konferenz zur Digitalisierung der "
    "Verwaltung in der Region stattfand.",
    "Zunächst geht es um zwölf Dienstleistungen, darunter Auskünfte zu Geburtsurkunden und "
    "Fahrerlaubnissen. Später sollen es vierzig werden, und auch das Nachbarland Kasachstan "
    "könnte sich anschließen, hieß es aus dem Ministerium.",
    "Für Arbeitsmigranten und Studierende, die zwischen beiden Ländern pendeln, verspricht das "
    "Vorhaben spürbare Erleichterungen. Bislang müssen sie für viele Anträge beglaubigte "
    "Kopien ihrer Unterlagen vorlegen und lange warten.",
    "Beobachter sehen in dem Schritt ein Zeichen für die gewachsene Zusammenarbeit der beiden "
    "Nachbarn, die noch vor wenigen Jahren über den Grenzverlauf im Ferghanatal stritten.",
]
# Another story on the original's site (same template).
OTHER_STORY = [
    "ASTANA, 2. April (Zentralasien-Agentur) - Kasachstan hat ein landesweites Programm zur "
    "Ausbildung von Fachkräften für Cybersicherheit in Behörden gestartet.",
    "Bis 2027 sollen nach Angaben des Ministeriums für künstliche Intelligenz mehr als "
    "zweitausend Beamte geschult werden, die in Ministerien und Akimaten für den Schutz von "
    "Informationssystemen zuständig sind.",
    "Die Kurse werden an drei Universitäten in Astana, Almaty und Schymkent angeboten und "
    "umfassen praktische Übungen an nachgebildeten Regierungsnetzen.",
    "Vizeminister Dmitri Mun erklärte, die Zahl der Angriffe auf staatliche Webseiten habe sich "
    "im vergangenen Jahr verdoppelt, weshalb jede Behörde eigene Spezialisten brauche.",
]
# A follow-up story that reuses two background paragraphs of the original: not a copy.
FOLLOW_UP = [
    "TASCHKENT, 2. Juni (Zentralasien-Agentur) - Knapp drei Monate nach der Unterzeichnung ist "
    "der elektronische Dokumentenaustausch zwischen Usbekistan und Kirgisistan in Betrieb "
    "gegangen. Als erste Dienstleistung steht die Abfrage von Führerscheinen zur Verfügung.",
    "Nach Angaben des usbekischen Digitalministeriums wurden in der ersten Woche mehr als "
    "viertausend Anfragen bearbeitet, die meisten davon von Verkehrsbehörden an der Grenze.",
    STORY[1],
    STORY[5],
    "Kritiker bemängeln, dass Bürger bisher nicht einsehen können, welche Behörde ihre Daten "
    "abgerufen hat. Das Ministerium kündigte an, bis zum Jahresende ein Protokoll im "
    "Bürgerportal einzurichten.",
]
CREDIT = "Dieser Beitrag erschien zuerst bei der Zentralasien-Agentur. Nachdruck mit Genehmigung."
ORIGINAL_URL = "https://agentur.example/de/kirgisistan-usbekistan-dokumente-14032026"


def agency_page(url: str, title: str, paragraphs: list[str], footer: str = "") -> str:
    """The agency's own site template."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>{title} - Zentralasien-Agentur</title><link rel="canonical" href="{url}">
<meta property="article:published_time" content="2026-03-14T09:30:00+06:00"></head><body>
<header><a href="/">Zentralasien-Agentur</a> <a href="/de/politik">Politik</a>
<a href="/de/wirtschaft">Wirtschaft</a> <a href="/de/digital">Digital</a></header>
<main><article><h1>{title}</h1>{body}</article></main>
<aside><h3>Meistgelesen</h3><ul><li><a href="/de/1">Neue Bahnstrecke nach Kaschgar</a></li>
<li><a href="/de/2">Baumwollernte auf Rekordniveau</a></li></ul></aside>
<footer>© Zentralasien-Agentur 2026. {footer}Alle Rechte vorbehalten.</footer></body></html>"""


def portal_page(url: str, title: str, paragraphs: list[str], published: str) -> str:
    """A German-language portal that republishes agency reports: other boilerplate."""
    body = "\n".join(f'<div class="txt"><p>{p}</p></div>' for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>{title} | Osteuropa-Portal</title><link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published}T12:00:00+01:00"></head><body>
<div class="top"><a href="/">Startseite</a> · <a href="/laender">Länder</a> ·
<a href="/newsletter">Newsletter abonnieren</a> · <a href="/kontakt">Kontakt</a></div>
<div class="content"><h1 class="headline">{title}</h1>
<div class="meta">Von Redaktion · {published}</div>{body}
<div class="share">Teilen: Facebook · X · Telegram</div></div>
<div class="sidebar"><h4>Weitere Nachrichten</h4><a href="/n/9">Armenien digitalisiert
Grundbuch</a> <a href="/n/8">Georgien startet E-Rezept</a></div>
<footer>Osteuropa-Portal · Impressum · Datenschutz · Cookie-Einstellungen</footer>
</body></html>"""


def write(folder: Path, name: str, html: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(html, encoding="utf-8")
    return path


def imported(settings: Settings, *paths: Path) -> dict[str, str | None]:
    """Import through the real pipeline in a fresh Store; url -> duplicate_of (as a URL)."""
    with Store(settings.data_dir) as store:
        report = import_paths(store, list(paths), settings)
        assert report.failed == 0, report.failures
        articles = list(store.iter_articles())
    urls = {article.id: article.url for article in articles}
    return {article.url: urls.get(article.duplicate_of or "") for article in articles}


@pytest.fixture
def original(tmp_path: Path) -> Path:
    title = "Kirgisistan und Usbekistan tauschen künftig Dokumente elektronisch aus"
    return write(tmp_path / "in", "original.html", agency_page(ORIGINAL_URL, title, STORY))


def test_copy_with_other_boilerplate_and_headline_is_marked_as_copy(settings, tmp_path, original):
    url = "https://portal.example/nachrichten/12345"
    copy = write(
        tmp_path / "in",
        "copy.html",
        portal_page(url, "Grenzenlose Behördengänge in Zentralasien", STORY, "2026-03-15"),
    )
    result = imported(settings, original, copy)
    assert result == {ORIGINAL_URL: None, url: ORIGINAL_URL}


def test_copy_shortened_by_a_paragraph_is_marked_as_copy(settings, tmp_path, original):
    url = "https://portal.example/nachrichten/777"
    copy = write(
        tmp_path / "in", "short.html", portal_page(url, "Abkommen", STORY[:-1], "2026-03-15")
    )
    assert imported(settings, original, copy)[url] == ORIGINAL_URL


def test_copy_with_an_added_credit_line_is_marked_as_copy(settings, tmp_path, original):
    url = "https://portal.example/nachrichten/778"
    paragraphs = [*STORY, CREDIT]
    copy = write(
        tmp_path / "in", "credit.html", portal_page(url, "Abkommen", paragraphs, "2026-03-15")
    )
    assert imported(settings, original, copy)[url] == ORIGINAL_URL


def test_independent_report_of_the_same_event_is_no_copy(settings, tmp_path, original):
    url = "https://portal.example/nachrichten/779"
    other = write(
        tmp_path / "in", "own.html", portal_page(url, "Abkommen", INDEPENDENT, "2026-03-14")
    )
    assert imported(settings, original, other) == {ORIGINAL_URL: None, url: None}


def test_other_story_in_the_same_site_template_is_no_copy(settings, tmp_path, original):
    url = "https://agentur.example/de/kasachstan-cybersicherheit-02042026"
    other = write(
        tmp_path / "in", "other.html", agency_page(url, "Cybersicherheit", OTHER_STORY, CREDIT)
    )
    assert imported(settings, original, other) == {ORIGINAL_URL: None, url: None}


def test_copy_found_after_a_restart_on_the_same_data_dir(settings, tmp_path, original):
    assert imported(settings, original) == {ORIGINAL_URL: None}  # that Store is closed now
    url = "https://portal.example/nachrichten/12346"
    copy = write(tmp_path / "in2", "copy.html", portal_page(url, "Abkommen", STORY, "2026-03-16"))
    assert imported(settings, copy)[url] == ORIGINAL_URL


def test_reimport_keeps_duplicate_of_and_an_update_in_place_is_no_self_copy(
    settings, tmp_path, original
):
    url = "https://portal.example/nachrichten/12347"
    folder = tmp_path / "in"
    copy = write(folder, "copy.html", portal_page(url, "Abkommen", STORY, "2026-03-15"))
    first = imported(settings, original, copy)
    assert first[url] == ORIGINAL_URL
    assert imported(settings, original, copy) == first  # same files again: unchanged
    # Both pages change (new footer, one more paragraph) and are imported again in the
    # other order: the original must not become a copy of its own copy, nor of itself.
    write(folder, "original.html", agency_page(ORIGINAL_URL, "Neu", STORY, "Stand: 15.03. "))
    write(folder, "copy.html", portal_page(url, "Abkommen", [*STORY, CREDIT], "2026-03-15"))
    assert imported(settings, folder / "copy.html", original) == first
    with Store(settings.data_dir) as store:
        assert store.count_articles() == 2
        assert store.copies_of(article_id_for(ORIGINAL_URL)) == [article_id_for(url)]
        assert store.copies_of(article_id_for(url)) == []


def test_copy_points_at_the_original_not_at_another_copy(settings, tmp_path, original):
    first = "https://portal.example/nachrichten/1"
    second = "https://zeitung.example/ausland/2"
    a = write(tmp_path / "in", "a.html", portal_page(first, "A", [*STORY, CREDIT], "2026-03-15"))
    b = write(tmp_path / "in", "b.html", portal_page(second, "B", STORY[:-1], "2026-03-16"))
    result = imported(settings, original, a, b)
    assert result == {ORIGINAL_URL: None, first: ORIGINAL_URL, second: ORIGINAL_URL}


def test_signature_is_the_same_in_another_process():
    """Stored signatures must stay comparable after a restart (no per-process hash seed)."""
    code = (
        "import json, sys; from nlp import syndication; "
        "s = syndication.signature(json.loads(sys.argv[1])); "
        "print(json.dumps([s.to_bytes().hex(), s.band_keys()]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(STORY)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345"},
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    here = syndication.signature(STORY)
    assert here is not None
    assert json.loads(out) == [here.to_bytes().hex(), here.band_keys()]


def test_measured_edits_stay_above_and_non_copies_below_the_threshold():
    original = syndication.signature(STORY)
    assert original is not None
    stored = original.to_bytes(), original.shingles
    for edited in ([*STORY[:2], *STORY[3:]], [CREDIT, *STORY, CREDIT], STORY[:-1]):
        copy = syndication.signature(edited)
        assert copy is not None and copy.match(*stored) is not None
    # STORY[:2]: a teaser wholly inside the original; FOLLOW_UP: reuses 2 of its paragraphs
    for other in (INDEPENDENT, OTHER_STORY, STORY[:2], FOLLOW_UP):
        candidate = syndication.signature(other)
        assert candidate is not None and candidate.match(*stored) is None


def test_too_short_text_has_no_signature():
    assert syndication.signature(["Kurzmeldung: Abkommen unterzeichnet."]) is None
    assert syndication.signature([]) is None


def test_coop_dev_copies_are_found(settings, coop_dev):
    """The shared dev corpus, where present: two copies, and their same-event neighbours."""
    corpus = json.loads((coop_dev / "corpus.json").read_text(encoding="utf-8"))
    wanted = {"dev-006", "dev-007", "dev-008", "dev-009", "dev-015", "dev-016", "dev-017"}
    gold = {a["id"]: a for a in corpus["articles"] if a["id"] in wanted}
    stored_id = {key: article_id_for(canonical_url(item["url"])) for key, item in gold.items()}
    with Store(settings.data_dir) as store:
        for key in sorted(gold):
            page = coop_dev / gold[key]["file"]
            report = import_paths(store, [page], settings, url=gold[key]["url"])
            assert report.failed == 0, report.failures
        found = {key: store.get_article(stored_id[key]).duplicate_of for key in gold}
    expected = {
        key: stored_id[item["syndicated_from"]] if item["syndicated_from"] else None
        for key, item in gold.items()
    }
    assert found == expected


def test_same_text_in_another_language_label_is_no_copy(store):
    """Only same-language articles are compared (a copy is the same text, not a translation)."""
    saved = {}
    for number, language in enumerate(["de", "en", "de"]):
        url = f"https://site{number}.example/a"
        article = Article(
            article_id_for(url), url, f"site{number}.example", language, "T", None, STORY
        )
        page = FetchedPage(url, f"<p>{number}</p>".encode())
        store.save(page, article, syndication.signature(STORY))
        saved[language, number] = article.duplicate_of
    assert saved == {
        ("de", 0): None,
        ("en", 1): None,
        ("de", 2): article_id_for("https://site0.example/a"),
    }


class _DiesWhileStored(syndication.Signature):
    """A signature whose bytes cannot be produced: the process 'dies' mid-save."""

    __slots__ = ()

    def to_bytes(self) -> bytes:
        raise KeyboardInterrupt


def test_a_kill_while_recording_the_signature_leaves_nothing_half_stored(store):
    url = "https://site.example/a"
    article = Article(article_id_for(url), url, "site.example", "de", "T", None, STORY)
    signature = syndication.signature(STORY)
    with pytest.raises(KeyboardInterrupt):
        store.save(
            FetchedPage(url, b"<p>x</p>"),
            article,
            _DiesWhileStored(signature.hashvalues, signature.shingles),
        )
    assert store.count_articles() == 0
    assert store.conn.execute("SELECT count(*) FROM syndication_bands").fetchone() == (0,)
    assert store.save(FetchedPage(url, b"<p>x</p>"), article, signature) == "imported"

"""Bench: `coopwatch import` throughput and peak memory on a WARC of synthetic news pages.

    python -m bench.import_bench [--pages 1000] [--page-kb 60] [--keep DIR] [--json FILE]
                                 [--profile N]

Generates `--pages` realistic news pages (de/ru/en in turn, ~`--page-kb` KB each: a site's
head with styles, scripts and JSON-LD, navigation, teasers, a sidebar and a footer around a
story of 6-12 paragraphs about cooperation between states, one page in ten repeating a
paragraph), writes them as response records into a gzipped WARC in a temporary directory, then
runs `coopwatch --data-dir TMP import WARC` as a child process, end to end (start-up
included). Reports pages/s over wall time, pages per CPU second of the import process (the
figure on a machine shared with other work), and the child's peak RSS (`wait4` rusage).
`--profile N` also runs the import of the first N pages under cProfile and prints where the
time goes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.figures import emit

COUNTRIES = {
    "en": ["Kazakhstan", "Belarus", "Uzbekistan", "Azerbaijan", "Estonia", "Georgia", "Armenia"],
    "de": ["Kasachstan", "Belarus", "Usbekistan", "Aserbaidschan", "Estland", "Georgien"],
    "ru": ["Казахстан", "Беларусь", "Узбекистан", "Азербайджан", "Эстония", "Грузия"],
}
CITIES = {
    "en": ["Astana", "Minsk", "Tashkent", "Baku", "Tallinn", "Tbilisi"],
    "de": ["Astana", "Minsk", "Taschkent", "Baku", "Tallinn", "Tiflis"],
    "ru": ["Астане", "Минске", "Ташкенте", "Баку", "Таллине", "Тбилиси"],
}
SENTENCES = {
    "en": [
        "The digital ministries of {a} and {b} signed a memorandum on e-government "
        "cooperation in {city} on {day}.",
        "Under the agreement, {a} will share its experience with a single portal that now "
        "handles {n} applications a month.",
        "Both sides agreed to recognise each other's electronic signatures by {year}.",
        "A joint working group will meet every quarter to review the progress of {k} pilot "
        "services.",
        "Officials from {b} visited the public service centres of {a} last month.",
        "The minister said that about {p} percent of public services in {a} are already online.",
        "Specialists in cybersecurity and open data will be exchanged under the programme.",
        "The cost of the first phase is estimated at {m} million dollars.",
        "Civil servants from {b} will be trained in {city} in the spring.",
        "Businesses are expected to register branches across the border without paper forms.",
    ],
    "de": [
        "Die Digitalministerien von {a} und {b} haben am {day} in {city} ein Memorandum über "
        "die Zusammenarbeit bei der digitalen Verwaltung unterzeichnet.",
        "Demnach gibt {a} seine Erfahrungen mit einem Bürgerportal weiter, über das monatlich "
        "{n} Anträge laufen.",
        "Beide Seiten wollen elektronische Signaturen bis {year} gegenseitig anerkennen.",
        "Eine gemeinsame Arbeitsgruppe soll vierteljährlich die Fortschritte von {k} "
        "Pilotdiensten prüfen.",
        "Fachleute aus {b} besuchten im vergangenen Monat die Bürgerämter in {a}.",
        "Nach Angaben des Ministers sind in {a} bereits {p} Prozent der Verwaltungsleistungen "
        "online verfügbar.",
        "Im Rahmen des Programms sollen auch Fachleute für Cybersicherheit ausgetauscht werden.",
        "Die Kosten der ersten Phase werden auf {m} Millionen Euro geschätzt.",
        "Beamte aus {b} sollen im Frühjahr in {city} geschult werden.",
        "Unternehmen sollen Niederlassungen im Nachbarland künftig ohne Papierformulare "
        "anmelden können.",
    ],
    "ru": [
        "Министерства цифрового развития стран {a} и {b} подписали в {city} меморандум о "
        "сотрудничестве в сфере электронного правительства {day}.",
        "Согласно документу, {a} поделится опытом единого портала, через который ежемесячно "
        "проходит {n} заявлений.",
        "Стороны договорились взаимно признавать электронные подписи до {year} года.",
        "Совместная рабочая группа будет ежеквартально рассматривать ход {k} пилотных услуг.",
        "Специалисты из страны {b} в прошлом месяце посетили центры обслуживания населения.",
        "По словам министра, уже {p} процентов государственных услуг доступны онлайн.",
        "Программа также предусматривает обмен специалистами по кибербезопасности.",
        "Стоимость первого этапа оценивается в {m} миллионов долларов.",
        "Государственные служащие пройдут обучение в {city} весной.",
        "Предприниматели смогут регистрировать филиалы в соседней стране без бумажных форм.",
    ],
}
DAYS = {"en": "Tuesday", "de": "Dienstag", "ru": "во вторник"}
NAV = {
    "en": ["Home", "Politics", "Economy", "Region", "Tech", "Culture", "Sports", "Opinion"],
    "de": ["Startseite", "Politik", "Wirtschaft", "Region", "Digital", "Kultur", "Sport"],
    "ru": ["Главная", "Политика", "Экономика", "Регион", "Технологии", "Культура", "Спорт"],
}
CSS_RULE = ".c{n} {{ margin: 0 {n}px; padding: 2px 4px; color: #3{m}3; font: 14px/1.4 serif; }}\n"
SCRIPT = (
    "window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} "
    "gtag('config', 'G-{n}'); var slot{n} = {{id: 'ad-{n}', sizes: [[300, 250], [728, 90]]}};\n"
)


def story(rng: random.Random, language: str) -> tuple[str, list[str]]:
    a, b = rng.sample(COUNTRIES[language], 2)
    values = {
        "a": a,
        "b": b,
        "city": rng.choice(CITIES[language]),
        "day": DAYS[language],
        "year": rng.randint(2026, 2030),
        "n": rng.randint(10_000, 900_000),
        "k": rng.randint(3, 40),
        "p": rng.randint(40, 95),
        "m": rng.randint(2, 90),
    }
    title = SENTENCES[language][0].format(**values).split(",")[0][:90]
    paragraphs = []
    for _ in range(rng.randint(6, 12)):
        sentences = rng.sample(SENTENCES[language], rng.randint(2, 4))
        paragraphs.append(" ".join(s.format(**values) for s in sentences))
    if rng.random() < 0.1:
        paragraphs.append(paragraphs[1])  # a CMS glitch repeats a paragraph
    return title, paragraphs


def news_page(number: int, language: str, page_bytes: int, rng: random.Random) -> bytes:
    """One news page of about `page_bytes`: boilerplate around a generated story."""
    title, paragraphs = story(rng, language)
    parts = {
        "language": language,
        "title": title,
        "published": f"2025-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
        "nav": "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in NAV[language]),
        "teasers": "".join(
            f'<li><a href="/news/{number}-{i}">{story(rng, language)[0]}</a></li>'
            for i in range(12)
        ),
        "body": "\n".join(f"<p>{p}</p>" for p in paragraphs),
        "styles": "",
        "scripts": "",
    }
    parts["ld"] = json.dumps(
        {"@type": "NewsArticle", "headline": title, "datePublished": parts["published"]}
    )
    fill = max(page_bytes - len(PAGE.format(**parts).encode()), 0)  # site styles and scripts
    parts["styles"] = "".join(CSS_RULE.format(n=i, m=i % 10) for i in range(fill // 2 // 78))
    parts["scripts"] = "".join(SCRIPT.format(n=i) for i in range(fill // 2 // 174))
    return PAGE.format(**parts).encode()


PAGE = """<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8"><title>{title} | Bench News</title>
<meta property="article:published_time" content="{published}T08:00:00Z">
<style>{styles}</style><script>{scripts}</script>
<script type="application/ld+json">{ld}</script></head>
<body><div class="cookies">Cookies: we use cookies for analytics. <button>OK</button></div>
<header><a class="logo" href="/">Bench News</a><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{title}</h1><p class="byline">{published}</p>
{body}
</article>
<aside><h3>Latest</h3><ul>{teasers}</ul></aside></main>
<footer><p>© 2025 Bench News. All rights reserved.</p><ul>{nav}</ul></footer>
</body></html>"""


def write_warc(path: Path, pages: int, page_kb: int, seed: int = 1) -> int:
    """Write `pages` generated pages as WARC response records; returns the payload bytes."""
    rng = random.Random(seed)
    languages = ("de", "ru", "en")
    total = 0
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number in range(pages):
            body = news_page(number, languages[number % 3], page_kb * 1024, rng)
            total += len(body)
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                f"https://bench-news.example/{languages[number % 3]}/{number}",
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
            )
            writer.write_record(record)
    return total


def _coopwatch() -> list[str]:
    script = Path(sys.executable).with_name("coopwatch")
    return [str(script)] if script.exists() else [sys.executable, "-m", "coopwatch.cli"]


def time_import(warc: Path, data_dir: Path) -> dict[str, Any]:
    """Run the import in a child process; wall seconds, exit status, peak RSS, summary line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
    command = [*_coopwatch(), "--data-dir", str(data_dir), "import", str(warc)]
    started = time.monotonic()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    summary = [line for line in stderr.splitlines() if line.startswith("imported ")]
    return {
        "seconds": seconds,
        "exit": child.returncode,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "summary": summary[-1] if summary else stderr[-2000:],
    }


def profile_import(warc: Path, data_dir: Path, out: Path, top: int = 25) -> str:
    """Import under cProfile in a child process; the top functions by own and total time."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
    command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "coopwatch.cli"]
    command += ["--data-dir", str(data_dir), "import", str(warc)]
    subprocess.run(command, env=env, capture_output=True, check=False)
    text = io.StringIO()
    stats = pstats.Stats(str(out), stream=text)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return text.getvalue()


def run(
    pages: int = 1000, page_kb: int = 60, keep: Path | None = None, profile: int = 0
) -> dict[str, Any]:
    """Generate, import and measure; returns the figures (also what `python -m bench` prints)."""
    with tempfile.TemporaryDirectory(prefix="coopwatch-import-bench-") as tmp:
        work = keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        warc = work / "bench.warc.gz"
        payload = write_warc(warc, pages, page_kb)
        measured = time_import(warc, work / "data")
        figures: dict[str, Any] = {
            "bench": "import",
            "pages": pages,
            "average_page_kb": round(payload / pages / 1024, 1),
            "warc_mib": round(warc.stat().st_size / 2**20, 1),
            "seconds": round(measured["seconds"], 1),
            "pages_per_second": round(pages / measured["seconds"], 1),
            # CPU time of the import process: what the figure would be on an idle core.
            "cpu_seconds": round(measured["cpu_seconds"], 1),
            "pages_per_cpu_second": round(pages / measured["cpu_seconds"], 1),
            "peak_rss_mib": round(measured["peak_rss_mib"], 1),
            "exit": measured["exit"],
            "summary": measured["summary"],
            "cpus": os.cpu_count(),
            "load_average_1min_after": round(os.getloadavg()[0], 1),
        }
        if profile:
            small = work / "profile.warc.gz"
            write_warc(small, profile, page_kb)
            figures["profile"] = profile_import(small, work / "profile-data", work / "import.prof")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_bench", description=__doc__)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--page-kb", type=int, default=60)
    parser.add_argument("--keep", type=Path, help="keep the WARC and the store in DIR")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile N pages")
    args = parser.parse_args(argv)
    figures = run(args.pages, args.page_kb, args.keep, args.profile)
    profile = figures.pop("profile", None)
    emit(figures, args.json)
    if profile:
        print(profile)
    expected = f"imported {args.pages}, updated 0, unchanged 0, failed 0"
    return 0 if figures["exit"] == 0 and figures["summary"] == expected else 1


if __name__ == "__main__":
    sys.exit(main())

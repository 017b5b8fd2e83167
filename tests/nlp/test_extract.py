"""Main-text extraction: story paragraphs kept in order, boilerplate and layout tricks undone."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.extract import ExtractOptions, extract_text, headline

OPTIONS = ExtractOptions()
STORY = [
    "Die Regierungsdelegation aus Usbekistan hat am Dienstag das Nationale Zentrum für "
    "elektronische Dienste in Minsk besucht und sich über die Plattform für Bürgerdienste "
    "informiert.",
    "Nach Angaben des Zentrums nutzen inzwischen mehr als zwei Millionen Bürger das Portal, "
    "über das sie Anträge stellen, Bescheinigungen erhalten und Gebühren bezahlen können.",
    "Beide Seiten vereinbarten, im nächsten Jahr gemeinsame Schulungen für Fachleute der "
    "Verwaltungen durchzuführen und Erfahrungen bei der digitalen Identität auszutauschen.",
]


def page(body: str, title: str = "Usbekische Delegation besucht Minsk") -> str:
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>{title} | Beispielzeitung</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2025-05-21T10:00:00+03:00">
</head><body>
<nav><ul><li><a href="/">Start</a></li><li><a href="/politik">Politik</a></li>
<li><a href="/wirtschaft">Wirtschaft</a></li></ul></nav>
{body}
<footer>© Beispielzeitung 2025. Alle Rechte vorbehalten. Impressum | Datenschutz</footer>
</body></html>"""


def test_paragraphs_title_date_and_language_of_a_plain_article():
    html = page(
        "<article><h1>Usbekische Delegation besucht Minsk</h1>"
        + "".join(f"<p>{p}</p>" for p in STORY)
        + "</article>"
    )
    text = extract_text(html, "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY
    assert text.title == "Usbekische Delegation besucht Minsk"
    assert text.published == "2025-05-21"
    assert text.language == "de"
    assert text.repeated_paragraphs == 0


def test_repeated_paragraph_is_dropped_and_counted():
    body = "".join(f"<p>{p}</p>" for p in [*STORY, STORY[0]])
    text = extract_text(page(f"<article>{body}</article>"), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY
    assert text.repeated_paragraphs == 1


@pytest.mark.parametrize(("tag", "separator"), [("p", "</p><p>"), ("div", "<br>\n")])
def test_a_paragraph_repeated_right_after_itself_is_counted(tag: str, separator: str):
    # trafilatura drops a long block repeating the one before it; the page still shows it
    long = STORY[1]
    assert len(long) >= 100
    blocks = [STORY[0], long, long, STORY[2]]
    body = f"<{tag}>" + separator.join(blocks) + f"</{tag}>"
    text = extract_text(page(f"<article>{body}</article>"), "https://example.de/a", OPTIONS)
    assert text.paragraphs.count(long) == 1
    assert text.repeated_paragraphs == 1


def test_br_separated_story_in_a_layout_table_comes_out_as_paragraphs():
    story = "<br />\n<br />\n".join(STORY)
    body = f"""<table width="100%"><tr><td class="menu"><a href="/">Start</a> |
<a href="/rss">RSS</a></td></tr><tr><td class="main">
<h1>Usbekische Delegation besucht Minsk</h1><div class="date">21.05.2025 10:00</div>
<div id="text">{story}</div></td><td class="side"><div>Meistgelesen</div>
<ul><li><a href="/x">Wetter am Wochenende</a></li></ul></td></tr></table>"""
    text = extract_text(page(body), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


def test_captions_cross_links_promos_and_credit_lines_are_not_story_text():
    body = f"""<article>
<figure><img src="a.jpg"><figcaption>Foto: Pressedienst des Ministeriums</figcaption></figure>
<p>{STORY[0]}</p>
<p><strong>Lesen Sie auch:</strong> <a href="/b">Kasachstan startet neues Portal</a></p>
<p>{STORY[1]}</p><p>{STORY[2]}</p>
<p>Folgen Sie uns auf Telegram, um keine Nachricht zu verpassen.</p>
<p>Follow the author on X: @steppe_ict</p>
<p>Dieser Beitrag erschien zuerst in der Beispielzeitung, Almaty.</p>
<p><i>Quelle: Pressedienst des Ministeriums</i></p>
<p>Photo credit: gov.kz</p>
</article>"""
    text = extract_text(page(body), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


def test_a_story_pasted_into_one_p_with_blank_lines_comes_out_as_paragraphs():
    story = "<br /><br />\n".join(STORY)
    body = f"<article><p>{story}</p><p>Ende.<br>Neue Zeile im selben Absatz.</p></article>"
    text = extract_text(page(body), "https://example.de/a", OPTIONS)
    assert text.paragraphs == [*STORY, "Ende. Neue Zeile im selben Absatz."]


def test_dates_bylines_codes_appeals_and_breadcrumbs_are_not_story_text():
    title = "Usbekische Delegation besucht Minsk"
    body = f"""<div class="crumbs"><a href="/politik">Politik</a> › <span>{title}</span></div>
<article><h1>{title}</h1>
<p>Published : Mar. 18, 2026 - 14:32 Updated : Mar. 18, 2026 - 15:05</p>
<p>By Kim So-yeon</p><p>sykim@heraldcorp.com</p>
<p>{STORY[0]}</p><p>{STORY[1]}</p><p>{STORY[2]}</p>
<p>***</p><p>SK/KS</p><p>(END)</p>
<p>We’re a reader-funded newsroom. Join our community and help us keep reporting.</p>
<p>Wir arbeiten ohne Bezahlschranke. Unterstützen Sie unsere Arbeit mit einer Spende!</p>
</article>"""
    text = extract_text(page(body, title), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


def test_sentence_long_spans_of_one_block_are_paragraphs_and_a_date_place_line_is_none():
    spans = "".join(f'<span class="text-block">{p}</span>' for p in STORY)
    body = f"<article><p>5 февраля 2026 г., г. Бишкек</p><div class='text'>{spans}</div></article>"
    text = extract_text(page(body), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


def test_a_lead_set_apart_in_the_header_opens_the_story():
    title = "Usbekische Delegation besucht Minsk"
    body = f"""<article><header class="article-header"><p class="kicker">Verwaltung</p>
<h1 class="article-header__title">{title}</h1>
<p class="article-header__lead">{STORY[0]}</p>
<div class="article-header__meta"><figure><img src="a.jpg"><figcaption>Ein Bild.</figcaption>
</figure><time datetime="2025-05-21T11:42:00+02:00">21.05.2025</time></div></header>
<div class="article-content"><p>{STORY[1]}</p><p>{STORY[2]}</p></div>
<aside><div class="teaser"><p>Ein ganz anderer Bericht über das Wetter in Astana, der hier
nur als Anriss steht und zu einem anderen Artikel führt.</p></div></aside></article>"""
    text = extract_text(page(body, title), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


def test_pull_quotes_standfirsts_that_are_the_description_and_credits_are_not_story_text():
    title = "Usbekische Delegation besucht Minsk"
    teaser = "Eine Delegation aus Taschkent informiert sich über das Portal."
    quote = STORY[1].split(",")[0]
    body = f"""<article><header class="article-header"><h1>{title}</h1>
<p class="td-lead">{teaser}</p><div class="meta"><time>21.05.2025</time></div></header>
<div class="article-content"><p>{STORY[0]}</p>
<blockquote>„{quote}“ Anna Weber, Ministerium</blockquote>
<p>{STORY[1]}</p><p>{STORY[2]}</p><p>[Editor: LX]</p>
<p>(Reporting by Anna Weber; Editing by Tom Hollis)</p><p>Ort: Minsk</p>
<p>Pressemitteilung</p><p>WAM/Khalid Abdelrahman/Amjad Saleh</p><p>Notes</p>
<p>Statistics Agency, “Foreign trade turnover”, 20 January 2026. ↩</p></div></article>"""
    html = page(body, title).replace(
        "<title>", f'<meta name="description" content="{teaser}"><title>'
    )
    text = extract_text(html, "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


def test_dateline_opening_the_story_is_read():
    first = "MINSK, 20. Mai (BelTA) - " + STORY[0]
    body = "<article>" + "".join(f"<p>{p}</p>" for p in [first, *STORY[1:]]) + "</article>"
    text = extract_text(page(body), "https://example.de/a", OPTIONS)
    assert text.paragraphs[0] == first  # the dateline stays part of the first paragraph
    assert text.dateline == "MINSK, 20. Mai (BelTA)"
    assert text.dateline_place == "Minsk"


def test_page_without_story_text_keeps_its_metadata():
    html = page('<div class="gallery"><a href="/1"><img src="1.jpg"></a></div>')
    html = html[: html.index("<nav>")] + html[html.index("</nav>") + len("</nav>") :]
    text = extract_text(html, "https://example.de/a", OPTIONS, fallback_date=date(2025, 5, 21))
    assert text.paragraphs == []
    assert text.title == "Usbekische Delegation besucht Minsk"


def test_headline_prefers_the_h1_that_the_title_tag_repeats():
    html = "<html><body><h1>Minsk und Taschkent <b>vernetzen</b> Portale</h1></body></html>"
    assert headline("Minsk und Taschkent vernetzen Portale | BelTA", html) == (
        "Minsk und Taschkent vernetzen Portale"
    )


def test_headline_drops_the_site_name_when_there_is_no_h1():
    assert headline("Steppe Times – Kazakhstan and Belarus sign e-gov deal", "<p></p>") == (
        "Kazakhstan and Belarus sign e-gov deal"
    )
    assert headline("Ein Titel ohne Seitennamen", "<p></p>") == "Ein Titel ohne Seitennamen"


def test_headline_from_the_title_tag_when_the_metadata_kept_only_its_site_parts():
    html = (
        "<title>Landesportal Sachsen-Anhalt - Pressemitteilungen - Usbekische Delegation "
        "informiert sich in Magdeburg</title><p></p>"
    )
    assert headline("Landesportal Sachsen-Anhalt - Pressemitteilungen", html) == (
        "Usbekische Delegation informiert sich in Magdeburg"
    )


def test_headline_ignores_an_unrelated_h1():
    html = "<h1>Nachrichten aus aller Welt</h1>"
    assert headline("Georgien startet E-Akte", html) == "Georgien startet E-Akte"


def test_headline_is_not_the_site_name_of_a_logo_h1_or_of_og_site_name():
    # a logo h1 linking home, which the metadata took for the title; WordPress's <title>
    html = (
        "<html><head><title>Steppe Blog » Blog Archive » Astana hosts the e-gov forum</title>"
        '</head><body><h1><a href="https://steppe.example/">Steppe Blog</a></h1></body></html>'
    )
    assert headline("Steppe Blog", html) == "Astana hosts the e-gov forum"
    # the site's name in og:site_name and as the page's h1
    html = (
        '<html><head><meta property="og:site_name" content="Übermedien"></head>'
        "<body><h1>Übermedien</h1></body></html>"
    )
    assert headline("Gute Tabus, schlechte Tabus: Die Debatte | Übermedien", html) == (
        "Gute Tabus, schlechte Tabus: Die Debatte"
    )
    # a site name longer than the headline is still the site's name
    html = '<meta property="og:site_name" content="Evangelisches Jugendwerk in Württemberg">'
    assert headline("Faire Lieferketten - Evangelisches Jugendwerk in Württemberg", html) == (
        "Faire Lieferketten"
    )


def test_a_dateline_on_a_line_of_its_own_is_no_paragraph_but_gives_place_and_day():
    body = "<article><p>Minsk, 20. Mai, BelTA</p>" + "".join(f"<p>{p}</p>" for p in STORY)
    text = extract_text(page(body + "</article>"), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY
    assert (text.dateline, text.dateline_place) == ("Minsk, 20. Mai, BelTA", "Minsk")
    assert text.dateline_day is not None and (text.dateline_day.month, text.dateline_day.day) == (
        5,
        20,
    )


def test_an_advertising_slot_label_is_no_paragraph():
    parts = [f"<p>{STORY[0]}</p>", '<div class="ad">Anzeige</div>', f"<p>{STORY[1]}</p>"]
    body = "<article>" + "".join(parts) + f"<p>{STORY[2]}</p><p>Advertisement</p></article>"
    text = extract_text(page(body), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


def test_a_banner_line_before_the_dateline_paragraph_is_no_story_text():
    # table layouts put the site's banner cell right before the story
    first = "Magdeburg. " + STORY[0]
    body = "<article><p>Presseservice der Landesregierung #moderndenken</p>" + "".join(
        f"<p>{p}</p>" for p in [first, *STORY[1:]]
    )
    text = extract_text(page(body + "</article>"), "https://example.de/a", OPTIONS)
    assert text.paragraphs == [first, *STORY[1:]]
    assert text.dateline_place == "Magdeburg"


@pytest.mark.parametrize(
    "line",
    [
        "14. Oktober 2025, 17:45 Uhr",  # the page's date and time
        "Staatssekretärin Wendland mit der Delegation aus Tadschikistan. Foto: MID",  # caption
    ],
)
def test_a_date_and_time_line_or_a_credited_caption_is_no_paragraph(line):
    body = "<article>" + "".join(f"<p>{p}</p>" for p in [STORY[0], line, *STORY[1:]])
    text = extract_text(page(body + "</article>"), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


@pytest.mark.parametrize(
    "line",
    [
        # a press release's end marks, contact lines and a government page's footer
        "ENDS",
        "Notes to editors",
        "Media enquiries",
        "Email press@dsit.gov.uk",
        "Telephone 020 7215 3000",
        "Updates to this page",
        "[Edited by Anna Brunetti]",
        "Rückfragehinweis: Bundeskanzleramt, Pressesprecherin, Telefon: +43 1 531 15-202345",
        # agencies' sign-offs, credits and appeals
        "-- BERNAMA",
        "— VNS",
        "Enditem",
        "(Keystone-SDA)",
        "With reports from Milenio and El Universal",
        "Containers are seen at the port of San Antonio, Chile. (Xinhua/Jorge Villegas)",
        "Good journalism costs a lot of money. Yet only good journalism can ensure a good "
        "society. Make a contribution",
        # signatures, broadcast slots, reading times, wire footers in capitals
        "(Florian Gruber-Lenz, 15.4.2026)",
        "SRF 4 News, 21.05.2026, 17:00 Uhr ; sda/gasn",
        "Gerhard Brzezinski, Warschau Lesezeit: 3 Min.",
        "OTS-ORIGINALTEXT PRESSEAUSSENDUNG UNTER AUSSCHLIESSLICHER INHALTLICHER VERANTWORTUNG",
        # a cross-link heading and a breadcrumb's step
        "Also read",
        "Home»",
    ],
)
def test_what_closes_a_story_but_is_not_its_text_is_no_paragraph(line):
    body = "<article>" + "".join(f"<p>{p}</p>" for p in [*STORY, line])
    text = extract_text(page(body + "</article>"), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


def test_a_press_release_s_contact_block_is_no_story_text():
    contacts = ["Media Contacts", "In Abuja", "Chinedu Okafor", "+234 9 461 6200"]
    body = "<article>" + "".join(f"<p>{p}</p>" for p in [*STORY, *contacts])
    text = extract_text(page(body + "</article>"), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


def test_a_contact_table_is_no_story_text():
    rows = "".join(
        f"<tr><td>{name}</td><td>Phone</td><td>+32 2 29 8123{i}</td><td>{mail}</td></tr>"
        for i, (name, mail) in enumerate(
            [("Sanna Virtanen", "sanna.virtanen@ec.europa.eu"), ("Luka Perović", "lp@ec.eu")]
        )
    )
    body = "<article>" + "".join(f"<p>{p}</p>" for p in STORY) + f"<table>{rows}</table>"
    text = extract_text(page(body + "</article>"), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY


@pytest.mark.parametrize(
    ("line", "place"), [("COLOMBO", "Colombo"), ("Islamabad 22 January 2026", "Islamabad")]
)
def test_a_place_alone_in_capitals_or_with_a_date_is_a_dateline_line(line, place):
    body = f"<article><p>{line}</p>" + "".join(f"<p>{p}</p>" for p in STORY)
    text = extract_text(page(body + "</article>"), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY
    assert text.dateline_place == place


def test_the_paragraphs_of_a_block_quotation_stay_paragraphs():
    said = "Die Ministerin sagte:"
    quoted = [
        "Wir wollen die Verwaltung so einfach machen wie das Online-Banking für alle Bürger.",
        "Im nächsten Jahr kommen dreißig weitere Dienste auf die gemeinsame Plattform dazu.",
    ]
    quote = "<blockquote>" + "".join(f"<p>{p}</p>" for p in quoted) + "</blockquote>"
    body = f"<article><p>{STORY[0]}</p><p>{said}</p>{quote}<p>{STORY[1]}</p></article>"
    text = extract_text(page(body), "https://example.de/a", OPTIONS)
    assert text.paragraphs == [STORY[0], said, *quoted, STORY[1]]


def test_a_box_of_bullet_points_restating_the_story_is_no_story_text():
    box = (
        '<div class="summary"><ul><li>Twelve agencies will be connected in the pilot.</li>'
        "<li>The government has allocated Rs 4.2 billion for the project.</li></ul></div>"
    )
    body = f"<article><h1>Usbekische Delegation besucht Minsk</h1>{box}" + "".join(
        f"<p>{p}</p>" for p in STORY
    )
    text = extract_text(page(body + "</article>"), "https://example.de/a", OPTIONS)
    assert text.paragraphs == STORY

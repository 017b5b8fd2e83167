"""Direct speech in de/ru/en reports and who said it, without a statistical NER.

Quotes are found by each language's quotation marks („…“ »…« de, «…» „…“ ru, “…” "…" en) and
told apart from quoted names of programmes or platforms («Цифровая госслужба») by length, by a
speech verb or colon nearby, and by the noun in front. The speaker is read from the attribution
after the quote ("…“, sagte Julia Schapkina", "…», – отметил Дмитрий Мун", "…," Shapkina said)
or before it ("По словам Шапкиной, «…»", "X sprach von einem „…“"); "he said"/"сказал он"
resolves to the person last named. Speakers are surface strings (Russian ones in the nominative);
mapping them to actor ids is the caller's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coopwatch.records import Quote
from nlp.countries import find_countries, is_country_word
from nlp.korean import korean_parts
from nlp.letters import UPPER
from nlp.names import NAME_PARTICLES, TRAILING_PARTICLES
from nlp.names import morph as _morph
from nlp.roles import _english_vocabulary

SUPPORTED = ("de", "en", "ru")

_PAIRS = {"„": "“”", "«": "»", "»": "«", "“": "”", '"': '"', "‚": "‘’", "‘": "’"}
_OPENERS = {
    "de": '„»«"“',
    "ru": '«„"“',
    "en": '“"«‘',
}

_SPEECH_VERBS = {
    "en": r"said|says|say|told|tells|added|adds|noted|notes|stressed|stresses|emphasi[sz]ed|"
    r"explained|stated|remarked|commented|pointed\sout|underlined|underscored|highlighted|insisted|"
    r"warned|announced|declared|urged|recalled|admitted|acknowledged|believes|called|described|"
    r"wrote|asked|replied|continued|concluded|assured|argued|observed|according\sto",
    "de": r"sagte|sagt|sagten|erklärte|erklärt|betonte|betont|meinte|meint|sprach|ergänzte|fügte|"
    r"unterstrich|hob|merkte|teilte|berichtete|kündigte|erläuterte|bekräftigte|versicherte|warnte|"
    r"forderte|stellte|verwies|lobte|äußerte|resümierte|schrieb|zitiert|so|laut|zufolge|"
    r"nach\s(?:den\s)?Worten|nach\sAngaben|sagte\szu|räumte|gab|bilanzierte|schilderte|kommentierte",
    "ru": r"сказал\w*|отметил\w*|заявил\w*|подчеркнул\w*|пояснил\w*|добавил\w*|сообщил\w*|"
    r"рассказал\w*|уточнил\w*|констатировал\w*|резюмировал\w*|указал\w*|признал\w*|считает|"
    r"говорит|отмечает|подчеркивает|подчёркивает|заметил\w*|призвал\w*|по\sсловам|по\sмнению|"
    r"убежден\w*|уверен\w*|поделил\w*|выразил\w*|напомнил\w*|высказал\w*|продолжил\w*|"
    r"заключил\w*|ответил\w*|назвал\w*|говорится|пишет|написал\w*|объяснил\w*|"
    r"прокомментировал\w*|охарактеризовал\w*|цитирует",
}
_VERB_RX = {
    lang: re.compile(rf"(?<![\w])(?:{rx})(?![\w])", re.IGNORECASE)
    for lang, rx in _SPEECH_VERBS.items()
}
_PRONOUNS = re.compile(r"^(?:he|she|er|sie|он|она|they|sie|они)$", re.IGNORECASE)

# Nouns that introduce a quoted *name*, not speech: das Programm „…“, программа «…».
_NAME_NOUNS = re.compile(
    r"(?:programm\w*|program|programme|projekt\w*|project|plattform|platform|system\w*|portal\w*|"
    r"initiative|app|anwendung|strategie|strategy|konzept\w*|gesetz\w*|law|act|kampagne|campaign|"
    r"marke|brand|forum|konferenz|conference|festival|award|preis|titel|title|motto|slogan|"
    r"unternehmen|company|firma|verein|stiftung|gmbh|ag|"
    r"программ\w*|проект\w*|платформ\w*|систем\w*|портал\w*|инициатив\w*|приложени\w*|"
    r"стратеги\w*|концепци\w*|закон\w*|кампани\w*|форум\w*|конференци\w*|премии|преми\w*|"
    r"компани\w*|гп|ао|тоо|ооо|зао|пао|оао|госкорпораци\w*|корпораци\w*|центр\w*|фонд\w*|"
    r"акци\w*|конкурс\w*|газет\w*|журнал\w*|агентств\w*)\s*$",
    re.IGNORECASE,
)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that are titles, offices or institutions rather than names.
_NOT_NAME = _wordset(
    """
    The A An And Of In On At For To By With From It This That These We Our Their His Her He She
    They I You Its But As After Before When While If Today Yesterday Mr Mrs Ms Dr Prof President
    Vice Deputy Prime Minister Ministry Ministers Secretary Chairman Chairwoman Chairperson
    Chair Director Head Chief Ambassador Governor Mayor Senator Spokesman Spokeswoman
    Spokesperson General Executive Officer Manager Coach Board Department Agency Service
    Services Centre Center Government State National Federal Digital Development Technologies
    Technology Innovation Innovations Affairs Communications Informatization Artificial
    Intelligence Economy Foreign Justice Finance Education Health Industry Trade Union Council
    Committee Commission Office Bank University Academy Institute Association Corporation
    Company Group Republic Kingdom Index Ranking Modernisation Modernization Transformation
    Strategy Programme Program Portal Platform Hub Park Forum Summit Conference Week Project
    Initiative System Systems Network Der Die Das Ein Eine Einer Und Im Am Vom Zum Zur Beim Für
    Mit Von Bei Nach Auch Wir Sie Er Es Ich Ihr Unsere Unser Heute Präsident Präsidentin
    Vizepräsident Minister Ministerin Vizeminister Vizeministerin Ministerium Staatssekretär
    Staatssekretärin Botschafter Botschafterin Direktor Direktorin Leiter Leiterin Chef Chefin
    Sprecher Sprecherin Bürgermeister Bürgermeisterin Gouverneur Vorsitzende Vorsitzender
    Geschäftsführer Geschäftsführerin Abteilungsleiter Abteilungsleiterin Prorektor Prorektorin
    Rektor Rektorin Stellvertretende Stellvertretender Bundesministerium Regierung Agentur
    Zentrum Behörde Kommunikation Informatisierung Entwicklung Digitales Digitale Künstliche
    Intelligenz Вице Министр Министерство Министерства Заместитель Президент Премьер
    Председатель Директор Глава Руководитель Посол Губернатор Мэр Агентство Центр Правительство
    Республика Республики Мы Он Она Они Это Как По В На С И
    Laut Nach Wie Als Auch Doch Dabei Damit Denn So Zudem Außerdem Bereits Demnach Dort Hier
    Jetzt Nun Zufolge Angaben Worten According As Also However Meanwhile Speaking Asked Later
    Также Кроме При Для Однако Вместе Словам Мнению Данным Сегодня Ранее Затем
    """
)
_TITLE_SUFFIX = re.compile(
    r"(?:minister\w*|präsident\w*|direktor\w*|leiter\w*|sprecher\w*|führer\w*|förderin|förderer|"
    r"meister\w*|rektor\w*|sekretär\w*|beauftragte\w*|vorsitzende\w*|ministeriums?|министр\w*|"
    r"директор\w*|председател\w*|руководител\w*|заместител\w*|ministry|officer|manager|head)$",
    re.IGNORECASE,
)
# The outlet a named speaker told: what follows names the outlet, not a person
# ("sagte Schermatow der Nachrichtenagentur Kun.uz", "сказал Шерматов агентству Podrobno.uz").
_OUTLET = re.compile(
    r"\s(?:(?:der|dem)\s(?:[\w-]+\s)?\w*(?:agentur|zeitung|sender|zeitschrift|magazin|portal)\b"
    r"|(?:агентству|газете|изданию|телеканалу|порталу|журналу|радио)(?!\w)"
    r"|(?:to\s)?(?:the\s)?(?:news\s)?(?:agency|newspaper|outlet|broadcaster|channel)\b)",
    re.IGNORECASE,
)
_CYR = re.compile(r"[а-яё]", re.IGNORECASE)
_CAP_TOKEN = rf"[{UPPER}][\w’'\-]*[\w]|[{UPPER}]\."  # Erdoğan, Šefčovič too
# Particles inside a name: Mohammad bin Abdullah Al Gergawi, Ursula von der Leyen.
# ("der" only after "von": "sagte Schermatow der Zeitung X" is no name)
_PARTICLE = r"(?:bin|bint|ibn|бин|бен|ибн|(?:von|van|фон|ван)(?:\s(?:der|den|дер))?|de|da|di)"
# (a Turkic patronymic word closes a name: "Sadyr uulu", «Садыр уулу»)
_TRAILING = "|".join(sorted(TRAILING_PARTICLES))
_RUN = re.compile(
    rf"(?:{_CAP_TOKEN})(?:\s(?:{_PARTICLE}\s)?(?:{_CAP_TOKEN}))*(?:\s(?:{_TRAILING})\b)?"
)

_PATRONYMIC = re.compile(r"(?:ович|евич|ич|овна|евна|ична|инична)$|(?:owitsch|ewitsch)$")
_SURNAME_LIKE = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ова|ева|ина|ына|ский|цкий|ская|цкая|енко|ук|юк|ян|дзе|швили|ич|"
    r"ов[аоуые]?[йм]?|ев[аоуые]?[йм]?|ин[аоуые]?[йм]?|ой)$",
)


_RU_DIALOGUE = re.compile(
    r"^\s*[—–]\s+([^«»„“\"]{10,}?[,!?…])\s[—–]\s(?=(?:" + _SPEECH_VERBS["ru"] + r")\b)",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Span:
    start: int
    end: int  # end of the closing mark (or paragraph end)
    text: str


def _quoted_spans(paragraph: str, language: str) -> list[_Span]:
    """Top-level quotations: an opening mark and its closing mark (nested marks skipped)."""
    spans: list[_Span] = []
    i = 0
    dialogue = _RU_DIALOGUE.match(paragraph) if language == "ru" else None
    if dialogue:  # Russian dialogue style: "— Мы готовы, — сказал он."
        spans.append(_Span(dialogue.start(1), dialogue.end(1), dialogue.group(1).strip()))
        i = dialogue.end(1)
    openers = _OPENERS[language]
    n = len(paragraph)
    while i < n:
        ch = paragraph[i]
        if ch not in openers:
            i += 1
            continue
        if ch == '"' and i > 0 and paragraph[i - 1].isalnum():
            i += 1  # a closing straight quote or an inch mark, not an opening one
            continue
        if ch == "‘" and (
            (i > 0 and paragraph[i - 1] not in " (\u00a0")
            or i + 1 >= n
            or not paragraph[i + 1].isalpha()
        ):
            i += 1  # British single quotes open only before a word
            continue
        closers = _PAIRS.get(ch, ch)
        depth = 0
        j = i + 1
        end = -1
        while j < n:
            c = paragraph[j]
            # don’t, citizens’ data: apostrophes, not the closing mark
            apostrophe = ch == "‘" and (
                (j + 1 < n and paragraph[j + 1].isalnum())
                or (paragraph[j - 1] == "s" and re.match(r" [a-z]", paragraph[j + 1 : j + 3]))
            )
            if (
                c in closers
                and not apostrophe
                and not (
                    ch == '"'
                    and j + 1 < n
                    and paragraph[j + 1].isalnum()
                    and paragraph[j - 1] == " "
                )
            ):
                if depth == 0:
                    end = j
                    break
                depth -= 1
            elif c == ch and ch not in closers:
                depth += 1
            j += 1
        if end == -1:
            # a quotation running to the paragraph's end (continued in the next paragraph)
            if i == 0 or paragraph[:i].rstrip().endswith(":"):
                spans.append(_Span(i, n, paragraph[i + 1 :].strip()))
                break
            i += 1  # a stray mark: look on for the next quotation
            continue
        spans.append(_Span(i, end + 1, paragraph[i + 1 : end].strip()))
        i = end + 1
    return spans


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


_WINDOW = 1500
# The full stop of a courtesy title ends no sentence: "Mr. Srinivasan said", "Dr. Jayasekara"
_NO_TITLE_DOT = "".join(
    rf"(?<!\b{title})" for title in ("Mr", "Mrs", "Ms", "Dr", "Prof", "Hon", "St", "Hr", "Fr")
)
_SENT_BREAK = re.compile(rf"(?<![A-ZА-Я\d]){_NO_TITLE_DOT}[.!?…][»“”\"]?\s+(?=\S)")
_SENT_END_AFTER = re.compile(rf"(?<![A-ZА-Я\d]){_NO_TITLE_DOT}[.!?…](?=\s+[\"„«“A-ZÄÖÜА-ЯЁ]|\s*$)")


def _sentence_around(paragraph: str, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) holding [start, end): from the last sentence end before to the next after."""
    window = max(0, start - _WINDOW)  # bounded look-back keeps huge paragraphs linear
    breaks = [m.end() for m in _SENT_BREAK.finditer(paragraph, window, start)]
    left = breaks[-1] if breaks else window
    m = _SENT_END_AFTER.search(paragraph, end)
    right = m.end() if m else len(paragraph)
    return left, right


def _attributed_right_after(span: _Span, paragraph: str, language: str) -> bool:
    """A speech verb right after the closing mark, behind the comma or dash that marks speech."""
    closed_by_punct = span.text.rstrip()[-1:] in {",", ".", "!", "?", "…"}
    follow = paragraph[span.end : span.end + 60]
    lead = re.match(r"\s*(?:[,!?…]\s*)?(?:[–—-]\s*)?", follow)
    marked = bool(lead and re.search(r"[,–—-]", lead.group(0))) or closed_by_punct
    rest = follow[lead.end() :] if lead else follow
    # "…», – сказал он" / "…," he said / "…," Deputy Minister Ivanov said
    verb_near = r"(?:[\w\-’'.]+\s){0,4}?(?:" + _SPEECH_VERBS[language] + r")\b"
    return marked and bool(re.match(verb_near, rest, re.IGNORECASE))


def speech_verb_after(text: str, pos: int, language: str) -> bool:
    """Does a speech verb follow a closing quotation mark at `pos`, behind the comma or dash
    that marks speech ("…“, sagte Alimow", "…», — сказал он")?"""
    verb_near = (
        r"\s*[,–—-]\s*(?:[–—-]\s*)?(?:[\w\-’'.]+\s){0,4}?(?:" + _SPEECH_VERBS[language] + r")\b"
    )
    return re.match(verb_near, text[pos : pos + 80], re.IGNORECASE) is not None


_ATTRIBUTIVE_BEFORE = {
    "en": re.compile(r"\b(?:a|an|the|its|their|this|his|her|our)\s+(?:\w+\s+)?$", re.IGNORECASE),
    "de": re.compile(
        r"\b(?:der|die|das|dem|den|des|ein|eine|einer|einem|einen|eines|im|am|vom|zum|zur)"
        r"\s+[a-zäöüß]+(?:e|en|er|es|em)\s+$"
    ),
    "ru": re.compile(r"(?!)"),  # Russian quotes names with «» after any word: left to the rest
}


_THING_NOUN = re.compile(
    r"(?:service|system|platform|app|portal|programme|program|project|initiative|principle"
    r"|approach|model|policy|strategy|concept|label|brand|campaign|option|feature|tool)s?"
)


def _is_speech(span: _Span, paragraph: str, language: str) -> bool:
    words = _words(span.text)
    if len(words) < 2 or len(span.text.split()) < 2:
        return False  # single words, names, web addresses ("my.gov.uz")
    before = paragraph[max(0, span.start - 80) : span.start]
    # names of programmes and platforms are capitalised: "das Projekt „ein Vorbild“" is speech
    named = _NAME_NOUNS.search(before.rstrip()) or re.search(r"\b(?:ГП|АО|ТОО|ООО)\s*$", before)
    if named and words[0][0].isupper():
        return False
    # a term or a name in quotation marks: "a “sign in with national ID” service", "in der
    # französischen „La Suite numérique“" (a partial quotation is speech: "ist das „ein
    # großer Schritt nach vorn“")
    after_word = re.match(r"[\s»“”\"]*([a-z]+)", paragraph[span.end : span.end + 30])
    attributive = _ATTRIBUTIVE_BEFORE[language].search(before) and (
        language != "en" or (after_word and _THING_NOUN.fullmatch(after_word.group(1)))
    )
    if len(words) <= 6 and attributive and not re.search(r"[.!?…]", span.text):
        return False
    if len(span.text.split()) == 2:
        return _attributed_right_after(span, paragraph, language)  # «Мы готовы», – сказал он
    inner = span.text.rstrip('«»„“”" ')
    has_punct = bool(re.search(r"[.!?,;:…]", inner))
    titled = sum(1 for w in words if w[0].isupper()) == len(words)
    if titled and not has_punct and language == "en":
        return False
    s_start, s_end = _sentence_around(paragraph, span.start, span.end)
    context = paragraph[s_start : span.start] + " " + paragraph[span.end : s_end]
    has_verb = bool(_VERB_RX[language].search(context))
    colon = before.rstrip().endswith(":")
    after = paragraph[span.end : span.end + 4]
    attributed = bool(re.match(r"\s*[,–—-]", after)) and has_verb
    if len(words) >= 6 and (has_punct or has_verb or colon):
        return True
    return (has_verb or colon or attributed) and (has_punct or len(words) >= 3)


# --- speaker names -----------------------------------------------------------------------------
def _clean_run(tokens: list[str], language: str, country_words: set[str]) -> list[str]:
    """Drop titles, offices, countries and abbreviations from both ends of a capitalised run."""

    def bad(tok: str) -> bool:
        return (
            tok in _NOT_NAME
            or tok.rstrip(".") in _NOT_NAME
            or tok in country_words
            or bool(_TITLE_SUFFIX.search(tok))
            or (tok.isupper() and len(tok) > 1)
            or tok.endswith("'s")
            or tok.endswith("’s")
        )

    while tokens and bad(tokens[0]):
        tokens = tokens[1:]
    while tokens and bad(tokens[-1]):
        tokens = tokens[:-1]
    # inside a run, a bad token splits it: keep the last clean part ("Digital Development Nurlan")
    for k in range(len(tokens) - 1, -1, -1):
        if bad(tokens[k]):
            tokens = tokens[k + 1 :]
            break
    names = [k for k, t in enumerate(tokens) if t not in NAME_PARTICLES]
    east_asian = len(names) == 3 and korean_parts(" ".join(tokens))  # «Ким До Ён»
    if len(names) > 3 or (
        len(names) == 3 and not _PATRONYMIC.search(tokens[names[1]]) and not east_asian
    ):
        tokens = tokens[names[-2] :]
    return tokens


def _runs(text: str, language: str, offset: int = 0) -> list[tuple[int, int, list[str]]]:
    out = []
    for m in _RUN.finditer(text):
        raw = m.group(0).split()
        country_words = {t for t in raw if is_country_word(re.split(r"['’]", t)[0], language)}
        tokens = _clean_run(raw, language, country_words)
        if not tokens:
            continue
        # offsets of the kept tokens, not of the whole run ("Laut Schermatow" -> "Schermatow")
        first = len(raw) - len(tokens)
        while first > 0 and raw[first : first + len(tokens)] != tokens:
            first -= 1
        start = m.start() + len(" ".join(raw[:first])) + (1 if first else 0)
        end = start + len(" ".join(tokens))
        out.append((offset + start, offset + end, tokens))
    return out


def _person_score(tokens: list[str], language: str, sentence_initial: bool) -> int:
    """How much a run looks like a person name: 2 = surely, 1 = possibly, 0 = no."""
    if language == "ru":
        morph = _morph()
        tags = set()
        for t in tokens:
            for p in morph.parse(t)[:3]:
                tags |= set(p.tag.grammemes)
        # a word the dictionary lacks gets guessed tags (Шульган as a place, by analogy): it is
        # rather a surname: «…», — заявил Шульган журналистам
        unknown = not any(morph.word_is_known(t.lower()) for t in tokens)
        if {"Geox", "Orgn"} & tags and not {"Name", "Surn"} & tags and not unknown:
            return 0
        if "Name" in tags or "Surn" in tags or any(_SURNAME_LIKE.search(t.lower()) for t in tokens):
            return 2 if len(tokens) >= 2 or "Surn" in tags else 1
        return 1 if len(tokens) >= 2 or unknown else 0
    if len(tokens) >= 2:
        return 2
    return 0 if sentence_initial else 1


def _normalise_speaker(tokens: list[str], language: str) -> str:
    name = " ".join(t.strip(",.;:") for t in tokens)
    if language == "ru":
        from nlp.names import nominative_ru

        return nominative_ru(name)
    return name


_ORG_SOURCE = re.compile(
    r"\b(?:ministry|agency|press\sservice|statement|government|department|office|committee|"
    r"Ministerium\w*|Behörde|Agentur|Mitteilung|Pressestelle|Regierung|Erklärung|"
    r"министерств\w*|ведомств\w*|пресс-служб\w*|сообщени\w*|говорится|правительств\w*|"
    r"агентств\w*|комитет\w*)\b",
    re.IGNORECASE,
)


# Where a named speaker said it: "написал Шерматов в Telegram", "wrote on X", "auf LinkedIn".
_WHERE_SAID = re.compile(r"\s(?:в|во|на|in|on|auf|im|via|через)\s(?=[A-ZА-ЯЁ])")


def _speaker_after(paragraph: str, pos: int, language: str) -> tuple[str | None, str | None]:
    """Attribution after a quote: (speaker, None), or (None, pronoun) for "he said", or nothing."""
    m = re.match(r"\s*[,.!?…]?\s*[–—-]?\s*", paragraph[pos:])
    rest_start = pos + (m.end() if m else 0)
    stop = re.search(rf"(?<![A-ZА-Я]){_NO_TITLE_DOT}[.!?;](?:\s|$)|[„«“\"]", paragraph[rest_start:])
    clause = paragraph[rest_start : rest_start + (stop.start() if stop else 200)]
    if stop and stop.group(0) in '„«“"' and clause.rstrip().endswith(":"):
        return None, None  # "„A.“ Schermatow ergänzte: „B.“": that speaker introduces B
    verb = _VERB_RX[language].search(clause)
    if not verb or verb.start() > 120:
        return None, None
    before_verb = clause[: verb.start()].strip()
    after_verb = clause[verb.end() :]
    outlet = _OUTLET.search(after_verb) or _WHERE_SAID.search(after_verb)
    if outlet and _runs(after_verb[: outlet.start()], language):
        after_verb = after_verb[: outlet.start()]  # a name, then the outlet it was told to
    first_after = re.match(r"\s*([\w\-]+)", after_verb)
    if first_after and _PRONOUNS.match(first_after.group(1)):
        return None, first_after.group(1).lower()
    if before_verb and _PRONOUNS.match(before_verb.split()[-1]):
        return None, before_verb.split()[-1].lower()
    # "Kholmatov said" / "X Y said"
    if before_verb:
        runs = _runs(before_verb, language)
        titled = bool(runs) and _is_title_word(" ".join(runs[-1][2]), language)
        if runs and runs[-1][1] >= len(before_verb) - 1 and not titled:
            return _normalise_speaker(runs[-1][2], language), None
    # "said Julia Schapkina, deputy minister" / "– отметил вице-министр ... Нурлан Жаксылыков"
    runs = _runs(after_verb, language)
    if runs:
        scored = [(r, _person_score(r[2], language, False)) for r in runs]
        direct = scored[0] if scored[0][0][0] <= 2 else None
        if (
            direct
            and direct[1] > 0
            and not (language != "en" and direct[1] < 2 and len(scored) > 1)
        ):
            return _normalise_speaker(direct[0][2], language), None
        best = [r for r, s in scored if s == 2] or [r for r, s in scored if s == 1]
        if best:
            return _normalise_speaker(
                best[-1][2] if language == "ru" else best[0][2], language
            ), None
    # no name at all: a title standing for a person named before ("the Kazakh minister said")
    before_rx = _TITLE_BEFORE_VERB.get(language)
    title = (before_rx.match(before_verb) if before_rx else None) or _TITLE_AFTER_VERB[
        language
    ].match(after_verb)
    named = [
        r
        for r in _runs(before_verb, language) + _runs(after_verb, language)
        if not _is_title_word(" ".join(r[2]), language)
    ]
    if title and not named:
        # a Russian past-tense verb tells the speaker's gender: «– подчеркнула замминистра»
        said = verb.group(0).lower()
        gender = ("|f" if said.endswith("ла") else "|m") if language == "ru" else ""
        return None, _TITLE_REF + title.group("t") + gender
    if _ORG_SOURCE.search(clause):
        return None, "org"  # "говорится в сообщении", "the ministry said": no person to guess
    return None, None


def _is_title_word(word: str, language: str) -> bool:
    """Is a capitalised word a title standing for a person ("Дипломат", "Minister")?"""
    return re.fullmatch(rf"(?:{_TITLE_WORDS[language]})", word, re.IGNORECASE) is not None


def _speaker_before(paragraph: str, span_start: int, language: str) -> str | None:
    """Attribution in the sentence before a quote: "X sagte:", "По словам X,", "According to X,"."""
    s_start, _ = _sentence_around(paragraph, span_start, span_start)
    prefix = paragraph[s_start:span_start]
    verbs = list(_VERB_RX[language].finditer(prefix))
    verb = verbs[-1] if verbs else None
    if verb is None and not prefix.rstrip().endswith(":"):
        return None
    if verb is not None:  # «Дипломат напомнил: «…»», „Der Botschafter sagte: …“
        title = _TITLE_BEFORE_VERB[language].match(prefix[: verb.start()].strip())
        if title:  # a title standing for a person named before
            gender = ""
            if language == "ru":
                gender = "|f" if verb.group(0).lower().endswith("ла") else "|m"
            return _TITLE_REF + title.group("t") + gender
    runs = _runs(prefix, language, 0)
    if not runs:
        return None
    lone = len(runs) == 1 and not prefix[: runs[0][0]].strip()
    if verb is None and lone and re.fullmatch(r"\s*:\s*", prefix[runs[0][1] :]):
        return _normalise_speaker(runs[0][2], language)  # "Shermatov: “…”" names its speaker
    if verb is not None and re.match(
        r"по\sсловам|по\sмнению|according\sto|laut|nach\s", verb.group(0), re.IGNORECASE
    ):
        for start, _end, tokens in (r for r in runs if r[0] >= verb.end()):
            # "laut Schermatow", "according to Aliyev": a lone word right after; otherwise a
            # full name ("nach Angaben des Ministeriums" names no person)
            close = start - verb.end() <= 6
            if _person_score(tokens, language, False) == 2 or (close and len(tokens) == 1):
                return _normalise_speaker(tokens, language)
    limit = verb.start() if verb is not None else len(prefix)
    candidates = [r for r in runs if r[1] <= limit + 1]
    # "Beat Zürcher, Leiter der Sektion Politische Rechte …, betont:": the sentence's subject
    # with its apposition closed before the verb, not the last name in that apposition
    if (
        candidates
        and not prefix[: candidates[0][0]].strip()
        and prefix[candidates[0][1] : candidates[0][1] + 1] == ","
        and prefix[:limit].rstrip().endswith(",")
        and _person_score(candidates[0][2], language, False) == 2
    ):
        return _normalise_speaker(candidates[0][2], language)
    # a sentence-initial word right before the verb is its subject ("Pakosta betonte, …: „…“")
    scored = [
        (r, _person_score(r[2], language, r[0] == 0 and r[1] < limit - 1)) for r in candidates
    ]
    good = [r for r, s in scored if s == 2] or [r for r, s in scored if s == 1]
    if good:
        return _normalise_speaker(good[-1][2], language)
    if verb is not None:  # "Как отметил Мадиев, «…»", "Wie Weber betonte" / "Nach Worten von X"
        # the name follows the verb in the same clause ("betonte, Estland teile seine
        # Erfahrungen: …" names no speaker after the comma)
        later = [
            r
            for r in runs
            if r[0] >= verb.end() and not re.search(r"[,:;]", prefix[verb.end() : r[0]])
        ]
        scored = [(r, _person_score(r[2], language, False)) for r in later]
        good = [r for r, s in scored if s == 2] or [r for r, s in scored if s == 1]
        if good:
            return _normalise_speaker(good[0][2], language)
    return None


def _people_in(text: str, language: str) -> list[tuple[str, str]]:
    """Person-like names in text, each with the text between it and the name before it (where
    its title and state stand: "Kazakhstan's Minister … Madiyev met his Uzbek counterpart
    Shermatov"), for resolving "he said" and "the Kazakh minister said" later."""
    out = []
    previous_end = 0
    for start, _end, tokens in _runs(text, language):
        if _BODY_AFTER.match(text, _end) or (
            language == "en" and all(t.lower() in _english_vocabulary() for t in tokens)
        ):
            continue  # "the Eurasian Economic Union", "… and Mass Media": a body's words
        if len(tokens) == 1 and _is_title_word(tokens[0], language):
            continue  # "Дипломат вручил …": a title standing for a person, not a name
        initial = start == 0 or bool(re.search(r"[.!?]\s*$", text[:start]))
        if _person_score(tokens, language, initial) == 2 or (
            len(tokens) == 1
            and (
                _NAMED_AS_PERSON[language].search(text[max(0, start - 60) : start])
                or re.match(
                    r"\s*(?:" + _SPEECH_VERBS[language] + r")\b", text[_end:], re.IGNORECASE
                )
                or (
                    initial
                    and text[_end : _end + 1] == ","
                    and _VERB_RX[language].search(text[_end : _end + 200])
                )
            )
        ):
            out.append((text[previous_end:start], _normalise_speaker(tokens, language)))
            previous_end = _end
    return out


_BODY_AFTER = re.compile(
    r"\s+(?:Union|Commission|Council|Agency|Ministry|Forum|Organi[sz]ation|Bank|Fund|Cent(?:er|re)"
    r"|Committee|Authority|Office|Institute|University|Corporation|Company|Group|Summit)\b"
)


def find_quotes(paragraphs: list[str], language: str | None) -> list[Quote]:
    """Direct quotations of a report with their speakers; [] for unsupported languages."""
    if language not in SUPPORTED:
        return []
    quotes: list[Quote] = []
    recent = _Recent()  # persons named so far ("he said" resolves here)
    for index, paragraph in enumerate(paragraphs):
        try:
            found = _paragraph_quotes(paragraph, language, recent)
        except (ValueError, IndexError):
            continue
        if found and found[-1].speaker is None and index + 1 < len(paragraphs):
            found[-1].speaker = _continued_speaker(paragraph, paragraphs[index + 1], language)
        quotes.extend(found)
    return quotes


_CLOSERS = '“”»"'


def _continued_speaker(paragraph: str, following: str, language: str) -> str | None:
    """The speaker of a quotation that runs on into the next paragraph and is attributed where
    it closes there: „Wir haben … / … zunutze machen“, sagte NAPR-Chef Irakli Tschcheidse."""
    spans = _quoted_spans(paragraph, language)
    if not spans or spans[-1].end != len(paragraph):
        return None  # the last quotation closes in its own paragraph
    close = next((i for i, c in enumerate(following) if c in _CLOSERS or c in "„«"), None)
    if close is None or following[close] in "„«":
        return None
    if following[close] == '"' and (close == 0 or following[close - 1].isspace()):
        return None  # a straight mark opening the next paragraph's quotation
    speaker, _pronoun = _speaker_after(following, close + 1, language)
    return speaker


_PRONOUN_GENDER = {"he": "m", "er": "m", "он": "m", "she": "f", "sie": "f", "она": "f"}
_FEMININE = re.compile(r"(?:ova|eva|yova|ina|yna|skaya|tskaya|aya|owa|ewa|ова|ева|ина|ына|ая)$")
_MASCULINE = re.compile(r"(?:ov|ev|yov|in|yn|sky|ski|skiy|ow|ew|ов|ев|ин|ын|ий|ский)$")


def _gender(name: str) -> str | None:
    """A guess at a person's gender from name endings (Slavic/Turkic surnames, first names)."""
    tokens = name.split()
    last = tokens[-1].lower()
    if _FEMININE.search(last):
        return "f"
    if _MASCULINE.search(last):
        return "m"
    if len(tokens) > 1:
        first = tokens[0].lower()
        if _CYR.search(first):
            for p in _morph().parse(first):
                if "Name" in p.tag and p.tag.case == "nomn":
                    return {"masc": "m", "femn": "f"}.get(p.tag.gender)
        elif first.endswith("a") and first not in {"ilya", "nikita", "luca", "andrea", "joshua"}:
            return "f"
    return None


@dataclass(slots=True)
class _Recent:
    """Persons named so far, the latest last, with what stood before each when it was named."""

    names: list[str] = field(default_factory=list)
    before: dict[str, str] = field(default_factory=dict)
    here: list[str] = field(default_factory=list)  # named in the current paragraph

    def remember(self, name: str, before: str | None = None) -> None:
        if " " not in name:  # a surname named again refreshes the full name (and its title)
            name = next((n for n in reversed(self.names) if n.split()[-1] == name), name)
        self.here.append(name)
        if name in self.names:
            self.names.remove(name)
        self.names.append(name)
        if before:  # every mention's context counts: the title often comes with the first
            self.before[name] = (self.before.get(name, "") + " " + before)[-400:]

    def resolve(self, reference: str | None, language: str) -> str | None:
        """The person "he said" / "the Kazakh minister said" refers to."""
        if reference and reference.startswith(_TITLE_REF):
            title, _, gender = reference.removeprefix(_TITLE_REF).partition("|")
            return self._by_title(title, language, gender or None)
        wanted = _PRONOUN_GENDER.get(reference or "")
        for name in reversed(self.names):
            if wanted is None or _gender(name) in {wanted, None}:
                return name
        return self.names[-1] if self.names else None

    def _by_title(self, title: str, language: str, gender: str | None = None) -> str | None:
        """The latest person introduced with this title's state and title word, the state
        deciding ("the Kazakh minister" after a Kazakh and an Uzbek minister)."""
        states = {m.code for m in find_countries(title, language)}
        # every word of the title counts: "первый заместитель" is not any "заместитель"
        stems = {w.lower()[:4] for w in title.split() if len(w) > 2}
        stems |= {other for stem in stems for other in _TITLE_SYNONYMS.get(stem, ())}
        best, best_score = None, 0
        for name in self.names:  # the latest wins a tie
            if gender and _gender(name) not in {gender, None}:
                continue
            before = self.before.get(name, "")
            named = {m.code for m in find_countries(before, language)}
            if states and not states & named:
                continue
            low = before.lower()
            score = 1 + bool(states) + sum(stem in low for stem in stems)
            # the person just named in the quote's paragraph: "According to X, … “…,” the
            # minister said"
            score += 2 * (bool(self.here) and name == self.here[-1])
            if score >= best_score:
                best, best_score = name, score
        return best if best is not None else (None if states else self.resolve(None, language))


_TITLE_REF = "title:"
# A title standing for a person named before: "the Kazakh minister said", "— сказал министр",
# "sagte der kasachische Minister".
_TITLE_WORDS = {
    "en": r"minister|chairman|chairwoman|head|ambassador|president|premier|director|governor"
    r"|mayor|envoy|official|diplomat",
    "de": r"\w*minister\w*|\w*präsident\w*|botschafter\w*|leiter\w*|\w*chef\w*"
    r"|vorsitzende\w*|diplomat\w*",
    "ru": r"министр\w*|глав[аыеу]\b|посол|посла|председател\w*|президент\w*|руководител\w*"
    r"|директор\w*|замминистра|заместител\w*|дипломат\w*",
}
_TITLE_BEFORE_VERB = {
    "en": re.compile(rf"^(?:the\s+)?(?P<t>(?:[\w’'-]+\s+){{0,2}}(?:{_TITLE_WORDS['en']}))$", re.I),
    # «Дипломат напомнил: …», „Der Botschafter sagte: …“
    "ru": re.compile(rf"^(?P<t>(?:[\w-]+\s+){{0,2}}?(?:{_TITLE_WORDS['ru']}))$", re.I),
    "de": re.compile(
        rf"^(?:der|die)\s+(?P<t>(?:[\w-]+\s+){{0,2}}?(?:{_TITLE_WORDS['de']}))$", re.I
    ),
}
# A diplomat is the ambassador named before: the title word that introduced him
_TITLE_SYNONYMS = {"дипл": {"посо", "посл"}, "dipl": {"amba", "bots"}}
_TITLE_AFTER_VERB = {
    "de": re.compile(
        rf"^\s*(?:der|die)\s+(?P<t>(?:[\w-]+\s+){{0,2}}?(?:{_TITLE_WORDS['de']}))\b", re.I
    ),
    "ru": re.compile(
        rf"^\s*(?P<t>(?:[\w-]+\s+){{0,2}}?(?:{_TITLE_WORDS['ru']}))(?:\s|[.,;]|$)", re.I
    ),
    "en": re.compile(rf"^\s*the\s+(?P<t>(?:[\w’'-]+\s+){{0,2}}(?:{_TITLE_WORDS['en']}))\b", re.I),
}


def _named_as_person(language: str) -> re.Pattern[str]:
    """What marks a lone surname as a person's: a title before it ("Minister Tursunow") or a
    source phrase ("According to Abbasov", "laut Schermatow", «по словам Мадиева»)."""
    source = {
        "en": r"according\s+to",
        "de": r"laut|nach\s+Angaben\s+von|nach\s+Worten\s+von",
        "ru": r"по\s+словам|как\s+отметил\w*|как\s+сообщил\w*",
    }[language]
    return re.compile(rf"(?:\b(?:{_TITLE_WORDS[language]})|\b(?:{source}))\s+$", re.IGNORECASE)


_NAMED_AS_PERSON = {language: _named_as_person(language) for language in ("en", "de", "ru")}


def _paragraph_quotes(paragraph: str, language: str, recent: _Recent) -> list[Quote]:
    recent.here.clear()
    results: list[Quote] = []
    plain = _without_quotes(paragraph, language)
    seen_to = 0
    previous_end = -1
    for span in _quoted_spans(paragraph, language):
        if not _is_speech(span, paragraph, language):
            continue
        gap = paragraph[previous_end : span.start] if previous_end >= 0 else ""
        own = _speaker_after(paragraph, span.end, language)
        if results and own == (None, None) and _only_attribution(gap, language):
            # "“A,” he said. “B.”" / „A“, sagte er, „B“: one quotation, interrupted
            results[-1] = Quote(
                speaker_id=None,
                speaker=results[-1].speaker,
                text=results[-1].text + " … " + span.text.rstrip(" ,"),
            )
            previous_end = span.end
            continue
        for before, name in _people_in(_tail(plain[seen_to : span.start]), language):
            recent.remember(name, before)
        seen_to = span.start
        text, inner_speaker = _interrupted(span.text, language)
        speaker, pronoun = (inner_speaker, None) if inner_speaker else own
        if speaker is None and pronoun is None:
            speaker = _speaker_before(plain, span.start, language)
            if speaker is not None and speaker.startswith(_TITLE_REF):
                speaker = recent.resolve(speaker, language)
        if speaker is None and pronoun != "org":
            speaker = recent.resolve(pronoun, language)
        if speaker:
            recent.remember(speaker)
        results.append(Quote(speaker_id=None, speaker=speaker, text=text.rstrip(" ,")))
        previous_end = span.end
    for before, name in _people_in(_tail(plain[seen_to:]), language):
        recent.remember(name, before)
    if results and results[-1].speaker:
        recent.remember(results[-1].speaker)
    return results


def _only_attribution(gap: str, language: str) -> bool:
    """The text between two quotations is nothing but their attribution ("he said", "– сказал
    Мадиев, –", ", sagte Berg. "): the two are one quotation."""
    words = re.findall(r"[^\W\d_][\w\-’']*", gap)
    # "…“, sagte Baissalow. Bregadse sagte: „…“": a new sentence introduces another quotation
    after_stop = re.split(rf"{_NO_TITLE_DOT}[.!?…]\s+", gap.strip(), maxsplit=1)[1:]
    if gap.rstrip().endswith(":") or (after_stop and re.search(r"\w", after_stop[0])):
        return False
    return (
        1 <= len(words) <= 6
        and bool(_VERB_RX[language].search(gap))
        and not re.search(r"[„«“\"]", gap)
    )


_INTERRUPTION = re.compile(r"([,!?…])\s[–—-]\s(.{3,80}?),\s[–—-]\s")


def _interrupted(text: str, language: str) -> tuple[str, str | None]:
    """«Мы готовы, – сказал Мадиев, – делиться опытом»: the attribution inside a quotation."""
    m = _INTERRUPTION.search(text)
    if not m or not _VERB_RX[language].search(m.group(2)):
        return text, None
    speaker, _ = _speaker_after(m.group(2) + ".", 0, language)
    return text[: m.start()] + m.group(1) + " " + text[m.end() :], speaker


def _without_quotes(paragraph: str, language: str) -> str:
    """The paragraph with its quotations blanked out (same length, so offsets still hold)."""
    parts, pos = [], 0
    for span in _quoted_spans(paragraph, language):
        parts += [paragraph[pos : span.start], " " * (span.end - span.start)]
        pos = span.end
    parts.append(paragraph[pos:])
    return "".join(parts)


def _tail(text: str) -> str:
    """The last stretch of text, cut at a blank: where "he said" finds its person."""
    if len(text) <= _WINDOW:
        return text
    cut = text.find(" ", len(text) - _WINDOW)
    return text[cut + 1 :] if cut >= 0 else text[-_WINDOW:]

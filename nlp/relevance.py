"""Is a report about cooperation between states on digital government? (`relevant`, score)

Three kinds of evidence must come together, each from vocabulary per language written as
stems so that inflections and German compounds match:

- a digital-government topic (e-government, digital public services, e-signatures, data
  exchange between state systems, AI in the public sector, ...);
- cooperation (agreement, memorandum, delegation, visit, joint, exchange of experience, ...);
- two or more states taking part (country mentions found by the countries matcher).

Genre markers (commentary, opinion) and topics that are clearly something else (sport,
incidents) lower the score. The score is a logistic combination whose weights were set by
reasoning about what each piece of evidence means, not fitted to a corpus.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Stems are matched at the start of a word unless marked "inside" (German compounds such
# as "Regierungsdelegation" or "Bürgerportale" carry the term in the middle).
_DIGITAL = {
    "de": (
        r"digital\w*|\w*digitali\w*|e-government\w*|e-gov\b|\w*e-service\w*|\w*online-?dienst\w*"
        r"|\w*onlinezugang\w*|\w*verwaltungsdienst\w*"
        r"|\w*bürgerportal\w*|\w*serviceportal\w*|\w*portal\w*|\w*plattform\w*|elektronisch\w*"
        r"|e-signatur\w*|\w*signatur\w*|\w*datenaustausch\w*|\w*informatisierung\w*|it-\w+"
        r"|\w*govtech\w*|\w*e-id\w*|\w*identität\w*|\w*cyber\w*|\w*interoperab\w*"
        r"|\w*rechenzentr\w*|\w*datenbank\w*|\w*software\w*|\w*innovation\w*|\w*startup\w*"
        r"|\w*technologiepark\w*|\w*verwaltungsleistung\w*|\w*digitalisierung\w*"
        r"|(?:staatlich|öffentlich|behördlich)\w* dienstleistung\w*|\w*bürgerämt\w*"
        r"|\w*bürgeramt\w*|\w*bürgerservice\w*|\w*servicezent\w*"
        r"|e-(?:vergabe|akte|rechnung|visum|visa|justiz|gesundheit|health|voting|wahl|zoll)\w*"
    ),
    "ru": (
        r"цифров\w*|электронн\w*|э-правительств\w*|госуслуг\w*|государственных услуг\w*"
        r"|информатизац\w*|ит-\w+|\bит\b|айти\w*|портал\w*"
        r"|платформ\w*|обмен\w* данны\w*|данных|эцп\b|подпис\w* электрон\w*|межведомственн\w*"
        r"|интеграц\w*|кибер\w*|информационн\w*|технопарк\w*|стартап\w*|инновац\w*"
        r"|программн\w* обеспечени\w*|дата-центр\w*|e-gov\w*|онлайн\w*|мобильн\w* приложени\w*"
        r"|центр\w* обслуживания населения|цон\w*|публичн\w* услуг\w*"
    ),
    "en": (
        r"digital\w*|e-government\w*|e-gov\w*|e-services?|electronic\w*|online services?"
        r"|public services?|portals?|platforms?"
        r"|data exchange|e-signatures?|digital signatures?|informati[sz]ation|\bit\b sector"
        r"|\bict\b|govtech|interoperab\w*|cyber\w*|tech park|technology park|start-?ups?"
        r"|innovation\w*|software|data cent(er|re)s?|e-id\b|digital id\w*|mobile app\w*"
        # e-services of the state by name: e-procurement, e-visa, e-tax, e-court …
        r"|e-(?:procurement|bidding|tender\w*|payments?|visas?|tax\w*|health|justice|courts?"
        r"|invoic\w*|voting|residency|notary|customs|participation|cabinet|parliament|archives?)"
    ),
}
# Artificial intelligence is the topic only in the public sector (the issue: "AI in the public
# sector"): AI research or chips between two states is not digital government. AI words count
# when the report also names public administration or services, or another topic word.
_AI = {
    "de": r"künstliche\w* intelligenz|\bki\b|ki-\w+",
    "ru": r"искусственн\w* интеллект\w*|\bии\b",
    "en": r"artificial intelligence|\bai\b|ai-\w+",
}
_PUBLIC_SECTOR = {
    "de": r"öffentlich\w* (?:verwaltung|dienst|sektor|hand)\w*|\w*verwaltung\w*|\w*behörde\w*"
    r"|staatlich\w* (?:dienst|stelle|einrichtung|leistung)\w*|\w*bürger\w*|e-government\w*",
    "ru": r"госуслуг\w*|государственн\w* (?:услуг|управлени|орган|служб|сектор|сервис)\w*"
    r"|госорган\w*|госуправлени\w*|госслуж\w*|(?:электронн|цифров)\w* правительств\w*"
    r"|публичн\w* (?:сектор|управлени|услуг)\w*|гражданам|граждан\b",
    "en": r"public (?:sector|services?|administration|servants?)|government (?:services?|agencies"
    r"|bodies|institutions)|state (?:bodies|agencies|services|institutions)|civil serv\w+"
    r"|(?:e|digital)-?government|citizens",
}
_COOPERATION = {
    "de": (
        r"\w*zusammenarbeit\w*|kooperat\w*|kooperier\w*|\w*abkommen\w*|\w*memorandum\w*"
        r"|\w*vereinbar\w*|unterzeichn\w*|\w*delegation\w*|besuch\w*|\w*erfahrungsaustausch\w*"
        r"|austausch\w*|tausch\w*|gemeinsam\w*|partner\w*|bilateral\w*|\w*absichtserklärung\w*"
        r"|fahrplan\w*|roadmap\w*|\w*programm\w*|gegenseitig\w*|\w*arbeitsgruppe\w*"
        r"|\w*weiterbildung\w*|\w*schulung\w*|lern\w*|\w*export\w*|übernehm\w*|\w*pilot\w*"
        r"|verknüpf\w*|anschließ\w*|zwischenstaatlich\w*|grenzüberschreitend\w*"
    ),
    "ru": (
        r"сотруднич\w*|соглашени\w*|меморандум\w*|подписа\w*|делегаци\w*|визит\w*|посетил\w*"
        r"|посещени\w*|обмен\w* опыт\w*|опыт\w*|совместн\w*|партн[её]р\w*|двусторонн\w*"
        r"|договорил\w*|договор\w*|дорожн\w* карт\w*|взаимн\w*|рабоч\w* групп\w*|стажиров\w*"
        r"|обучени\w*|экспорт\w*|трансграничн\w*|межгосударственн\w*|переговор\w*|встреч\w*"
        r"|форум\w*|пилотн\w*|подключ\w*|изуча\w*"
    ),
    "en": (
        r"cooperat\w*|collaborat\w*|agreements?|memorand\w*|\bmou\b|signed|signing|delegations?"
        r"|visit\w*|exchange\w*|joint\w*|partner\w*|bilateral\w*|roadmap\w*|road map|mutual\w*"
        r"|working group|internships?|training|export\w*|cross-border|intergovernmental"
        r"|talks|meeting\w*|forum\w*|pilot\w*|link\w*|connect\w*|studies|studied|learn\w*"
    ),
}
# Genres and topics that are not reports of cooperation, however digital their words (sport,
# the military: "digital command systems" in joint exercises are no e-government).
_OFF_TOPIC = {
    "de": r"^(kommentar|meinung|analyse|gastbeitrag|interview|kolumne)\b|\w*fußball\w*"
    r"|\w*eishockey\w*|militär\w*|\w*manöver\w*|truppen\w*|streitkräfte\w*|\w*waffen\w*",
    "ru": r"^(комментарий|мнение|колонка|интервью)\b|футбол\w*|хокке\w*|матч\w*"
    r"|военн\w*|учени[яйи]\b|войск\w*|вооружен\w*|арми[яиюей]\b",
    "en": r"^(comment(ary)?|opinion|op-ed|analysis|interview|column)\b|football|hockey"
    r"|overtime|match\w*|military|troops|armed forces|war ?games|weapons?|missiles?",
}
# Incidents are the story only when its title or lead tells them ("Hackers attacked the
# portal"); further down, "protect registries from cyberattacks" is what states cooperate on.
_INCIDENT = {
    "de": r"\w*hackerangriff\w*|\w*cyberangriff\w*|\w*ddos\w*|\w*unfall\w*",
    "ru": r"ddos\w*|хакерск\w* атак\w*|кибератак\w*|авари\w*",
    "en": r"ddos|cyber-?attack\w*|hacker attack\w*|accident\w*",
}

_COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {}


def _patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """(digital, AI, public sector, cooperation, off-topic, incident) patterns of `language`."""
    if language not in _COMPILED:
        flags = re.IGNORECASE | re.MULTILINE
        _COMPILED[language] = tuple(
            re.compile(rf"\b(?:{table[language]})", flags)
            for table in (_DIGITAL, _AI, _PUBLIC_SECTOR, _COOPERATION, _OFF_TOPIC, _INCIDENT)
        )
    return _COMPILED[language]


@dataclass(slots=True, frozen=True)
class Relevance:
    relevant: bool
    score: float
    digital: float  # topic terms per 100 words
    cooperation: float  # cooperation terms per 100 words
    states: int  # distinct states named


SUPPORTED = tuple(_DIGITAL)
THRESHOLD = 0.5


def _density(pattern: re.Pattern[str], text: str, words: int) -> float:
    return 100.0 * len(pattern.findall(text)) / max(words, 1)


# The title and lead say what a report is about: when they name fewer than two states, a
# second state further down is most often a passing mention ("… as Ukraine's Diia shows").
LEAD_PARAGRAPHS = 2


def assess_relevance(
    title: str | None,
    paragraphs: list[str],
    language: str | None,
    states: set[str],
    lead_states: set[str] | None = None,
) -> Relevance:
    """Score the report; `states` are the ISO codes of the states it names, `lead_states`
    those its title and first LEAD_PARAGRAPHS paragraphs name (None: not known)."""
    if language not in SUPPORTED or not paragraphs:
        return Relevance(False, 0.0, 0.0, 0.0, len(states))
    digital_re, ai_re, public_re, cooperation_re, off_topic_re, incident_re = _patterns(language)
    # The title and the lead say what the story is about: count them twice.
    lead = "\n".join([title or "", paragraphs[0]])
    text = "\n".join([lead, *paragraphs])
    words = len(text.split())
    digital = _density(digital_re, text, words)
    lead_digital = bool(digital_re.search(lead))
    if digital > 0 or public_re.search(text):  # AI in the public sector, not AI as such
        digital += _density(ai_re, text, words)
        lead_digital = lead_digital or bool(ai_re.search(lead))
    cooperation = _density(cooperation_re, text, words)
    off_topic = (
        len(off_topic_re.findall(lead)) * 2
        + len(off_topic_re.findall(text))
        + len(incident_re.findall(lead)) * 3
    )
    # Evidence, each on a comparable scale; a missing kind keeps the score low.
    z = (
        -6.0
        + 1.6 * math.log1p(digital)
        + 1.2 * math.log1p(cooperation)
        + (2.2 if len(states) >= 2 else -1.5)
        - (1.5 if lead_states is not None and len(lead_states) < 2 else 0.0)
        + (1.0 if lead_digital else -0.5)
        - 1.5 * min(off_topic, 3)
    )
    score = 1.0 / (1.0 + math.exp(-z))
    relevant = score >= THRESHOLD and len(states) >= 2 and digital > 0 and cooperation > 0
    return Relevance(
        relevant, round(score, 3), round(digital, 2), round(cooperation, 2), len(states)
    )

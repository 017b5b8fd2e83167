"""Training of the project's own statistical NER models (spaCy; de, en) from shared corpora."""

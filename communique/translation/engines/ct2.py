"""CTranslate2 + SentencePiece models from a folder the user points to, without argostranslate, stanza
or torch (none of them is needed to run a converted model, and argostranslate downloads at first use).

The folder is either a converted OPUS-MT model (`model.bin` beside `source.spm` and `target.spm`, as
`ct2-opus-mt-converter`/`ct2-marian-converter` leave it once the .spm files are copied in) or an Argos
package (`model/` holding `model.bin`, and `sentencepiece.model` beside it).

Inline codes: neural models do not reliably copy markup, so by default ("runs") each stretch of text
between two codes is translated on its own and the codes stay where the source had them; "placeholder"
sends the whole sentence with numbered tokens (⟦1⟧ … ⟦/1⟧, ⟦3/⟧) for models trained to keep them, and
whatever comes back is checked like any engine's output."""
from __future__ import annotations

import re
import threading
from pathlib import Path

from ..segments import Content, Tag, merge_text
from . import EngineError, MTItem, MTResult

_CACHE: dict[str, tuple] = {}
_LOCK = threading.Lock()
_PLACEHOLDER = re.compile(r"⟦(/?)(\d+)(/?)⟧")


def locate(folder: Path) -> tuple[Path, Path, Path]:
    """(model dir, source spm, target spm) or EngineError saying what is missing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise EngineError(f"{folder}: no such model folder")
    if (folder / "model" / "model.bin").is_file() and (folder / "sentencepiece.model").is_file():
        return folder / "model", folder / "sentencepiece.model", folder / "sentencepiece.model"
    if (folder / "model.bin").is_file():
        for src, tgt in (("source.spm", "target.spm"), ("sentencepiece.model", "sentencepiece.model")):
            if (folder / src).is_file() and (folder / tgt).is_file():
                return folder, folder / src, folder / tgt
        raise EngineError(f"{folder}: has model.bin but no SentencePiece model (source.spm and target.spm, "
                          "or sentencepiece.model)")
    raise EngineError(f"{folder}: not a CTranslate2 model folder (no model.bin, nor model/model.bin with "
                      "sentencepiece.model as in an Argos package)")


def _load(folder: Path, threads: int):
    key = str(Path(folder).resolve())
    with _LOCK:
        if key not in _CACHE:
            try:
                import ctranslate2
                import sentencepiece as spm
            except ImportError as exc:
                raise EngineError(f"the ct2 engine needs the ctranslate2 and sentencepiece packages ({exc})") from None
            model_dir, src, tgt = locate(folder)
            try:
                translator = ctranslate2.Translator(str(model_dir), device="cpu", inter_threads=1, intra_threads=threads)
            except (RuntimeError, ValueError) as exc:
                raise EngineError(f"{model_dir}: CTranslate2 could not load the model ({exc})") from None
            _CACHE[key] = (translator, spm.SentencePieceProcessor(model_file=str(src)),
                           spm.SentencePieceProcessor(model_file=str(tgt)))
        return _CACHE[key]


class CTranslate2Engine:
    name = "ct2"

    def __init__(self, model: str | None = None, inline: str = "runs", beam_size: int = 2, threads: int = 1,
                 batch_size: int = 32, target_prefix: str = "", **_):
        if not model:
            raise EngineError("the ct2 engine needs a model folder: --model DIR, or 'model' in "
                              "COMMUNIQUE_TRANSLATION_ENGINES for the language pair")
        if inline not in ("runs", "placeholder"):
            raise EngineError(f"ct2 inline must be 'runs' or 'placeholder', not {inline!r}")
        self.model, self.inline, self.beam_size = Path(model), inline, beam_size
        self.threads, self.batch_size = threads, batch_size
        self.target_prefix = target_prefix  # multilingual models want a language token, e.g. ">>spa<<"

    def check(self, source: str, target: str) -> None:
        _load(self.model, self.threads)

    def translate_texts(self, texts: list[str]) -> list[str]:
        translator, sp_src, sp_tgt = _load(self.model, self.threads)
        # A run that is only spaces (between two codes) stays as it is: the model would drop it.
        out = list(texts)
        todo = [i for i, t in enumerate(texts) if t and not t.isspace()]
        prefix = self.target_prefix
        for start in range(0, len(todo), self.batch_size):
            chunk = todo[start:start + self.batch_size]
            stripped = [texts[i].strip() for i in chunk]
            # One SentencePiece call each way per batch (a list in, a list out), as a plain
            # translate_batch loop does: no Python call per run.
            tokens = sp_src.encode(stripped, out_type=str)
            results = translator.translate_batch(
                tokens, target_prefix=[[prefix]] * len(chunk) if prefix else None, beam_size=self.beam_size,
                max_decoding_length=max(16, 2 * max(map(len, tokens)) + 8))
            hyps = [r.hypotheses[0] for r in results]
            if prefix:
                hyps = [h[1:] if h[:1] == [prefix] else h for h in hyps]
            for i, bare, text in zip(chunk, stripped, sp_tgt.decode(hyps)):
                original = texts[i]
                if len(bare) == len(original):
                    out[i] = text
                    continue
                # The spaces around a run belong to the layout, not the model.
                lead = original[: len(original) - len(original.lstrip())]
                out[i] = lead + text + original[len(lead) + len(bare):]
        return out

    def translate(self, items: list[MTItem], source: str, target: str) -> list[MTResult]:
        if self.inline == "placeholder":
            texts = [_to_placeholders(it.content) for it in items]
            return [MTResult(_from_placeholders(t)) for t in self.translate_texts(texts)]
        # "runs": every text stretch of every item in one batch, then put back between the codes.
        runs = [x for it in items for x in it.content if isinstance(x, str)]
        translated = iter(self.translate_texts(runs))
        results = []
        for it in items:
            content = [next(translated) if isinstance(x, str) else x for x in it.content]
            results.append(MTResult(merge_text(content)))
        return results


def _to_placeholders(content: Content) -> str:
    out = []
    for x in content:
        if isinstance(x, str):
            out.append(x.replace("⟦", "[").replace("⟧", "]"))
        elif x.kind == "open":
            out.append(f"⟦{x.id}⟧")
        elif x.kind == "close":
            out.append(f"⟦/{x.id}⟧")
        else:
            out.append(f"⟦{x.id}/⟧")
    return "".join(out)


def _from_placeholders(text: str) -> Content:
    out: Content = []
    pos = 0
    for mt in _PLACEHOLDER.finditer(text):
        out.append(text[pos:mt.start()])
        close, cid, standalone = mt.groups()
        out.append(Tag("close" if close else "ph" if standalone else "open", cid))
        pos = mt.end()
    out.append(text[pos:])
    return merge_text(out)

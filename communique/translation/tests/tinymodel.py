"""A tiny OPUS-MT-shaped model made on the spot: a SentencePiece model trained on a few sentences and a
Marian transformer with random weights, in Marian's own .npz layout, converted by CTranslate2's real
OPUS-MT converter. Nothing is downloaded; the engine's loading and decoding code runs for real."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import yaml

SENTENCES = [
    "The embassy opened a new cultural office in the capital.",
    "Students from both countries met at the university.",
    "The press attaché explained the programme to journalists.",
    "Trust, once lost, is slow to return.",
    "El coche rojo es muy rápido y la embajada abrió una oficina.",
    "Los estudiantes de ambos países se reunieron en la universidad.",
    "It costs 12.4 billion dollars, according to 26 per cent of the report.",
] * 20

DIM, HEADS, FFN = 16, 2, 32


def _sentencepiece(folder: Path) -> Path:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(SENTENCES), model_writer=model, vocab_size=90,
                                   model_type="unigram", character_coverage=1.0, bos_id=-1, eos_id=-1,
                                   unk_id=0, pad_id=-1, minloglevel=2)
    path = folder / "source.spm"
    path.write_bytes(model.getvalue())
    (folder / "target.spm").write_bytes(model.getvalue())
    return path


def _vocab(spm_path: Path, folder: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    pieces = ["</s>", "<unk>"] + [sp.id_to_piece(i) for i in range(sp.get_piece_size()) if sp.id_to_piece(i) != "<unk>"]
    pieces.append("<pad>")
    lines = [f"{yaml.safe_dump(p, allow_unicode=True).strip().removesuffix('...').strip()}: {i}" for i, p in enumerate(pieces)]
    (folder / "vocab.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pieces


def _layer(weights, rng, scope, context: bool):
    def lin(name, n_in, n_out):
        weights[f"{scope}_W{name}"] = rng.normal(0, 0.3, (n_in, n_out)).astype(np.float32)
        weights[f"{scope}_b{name}"] = np.zeros((1, n_out), np.float32)

    def ln(name):
        weights[f"{name}_ln_scale"] = np.ones((1, DIM), np.float32)
        weights[f"{name}_ln_bias"] = np.zeros((1, DIM), np.float32)

    for part in ["self"] + (["context"] if context else []):
        s = f"{scope}_{part}"
        for x in "qkvo":
            weights[f"{s}_W{x}"] = rng.normal(0, 0.3, (DIM, DIM)).astype(np.float32)
            weights[f"{s}_b{x}"] = np.zeros((1, DIM), np.float32)
        ln(f"{s}_Wo")
    f = f"{scope}_ffn"
    weights[f"{f}_W1"] = rng.normal(0, 0.3, (DIM, FFN)).astype(np.float32)
    weights[f"{f}_b1"] = np.zeros((1, FFN), np.float32)
    weights[f"{f}_W2"] = rng.normal(0, 0.3, (FFN, DIM)).astype(np.float32)
    weights[f"{f}_b2"] = np.zeros((1, DIM), np.float32)
    ln(f"{f}_ffn")


def build_opus_mt_folder(folder: Path, seed: int = 7) -> Path:
    """An OPUS-MT release folder (decoder.yml, model.npz, vocab.yml, source.spm, target.spm)."""
    folder.mkdir(parents=True, exist_ok=True)
    pieces = _vocab(_sentencepiece(folder), folder)
    rng = np.random.default_rng(seed)
    config = {"type": "transformer", "transformer-decoder-autoreg": "self-attention", "transformer-no-projection": False,
              "transformer-ffn-activation": "relu", "transformer-preprocess": "", "transformer-postprocess": "dan",
              "transformer-postprocess-emb": "d", "transformer-guided-alignment-layer": "last",
              "enc-depth": 1, "dec-depth": 1, "transformer-heads": HEADS}
    weights = {"Wemb": rng.normal(0, 0.3, (len(pieces), DIM)).astype(np.float32),
               "decoder_ff_logit_out_b": np.zeros((1, len(pieces)), np.float32)}
    _layer(weights, rng, "encoder_l1", context=False)
    _layer(weights, rng, "decoder_l1", context=True)
    weights["special:model.yml"] = np.frombuffer(yaml.safe_dump(config).encode() + b"\0", dtype=np.int8)
    np.savez(folder / "model.npz", **weights)
    (folder / "decoder.yml").write_text(yaml.safe_dump({"models": ["model.npz"], "vocabs": ["vocab.yml", "vocab.yml"]}))
    return folder


def build_ct2_model(work: Path) -> Path:
    """The converted CTranslate2 model folder, with the SentencePiece models beside model.bin."""
    import shutil

    from ctranslate2.converters import OpusMTConverter

    release = build_opus_mt_folder(work / "opus-mt-en-es")
    out = work / "ct2-en-es"
    OpusMTConverter(str(release)).convert(str(out), force=True)
    for name in ("source.spm", "target.spm"):
        shutil.copy(release / name, out / name)
    return out

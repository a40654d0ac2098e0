"""The CTranslate2 engine on a tiny model the test makes (random weights, real converter, real loading)."""
import shutil

import pytest

from communique.translation import pipeline
from communique.translation.engines import EngineError, MTItem, get_engine
from communique.translation.engines.ct2 import locate
from communique.translation.segments import Tag

from .tinymodel import build_ct2_model


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return build_ct2_model(tmp_path_factory.mktemp("ct2"))


def test_converted_opus_mt_model_translates_through_the_engine(model_dir):
    engine = get_engine("ct2", "en", "es", model=str(model_dir))
    [a, b] = engine.translate_texts(["The embassy opened a new office.", "Trust is slow to return."])
    assert a and b and a.strip() != "The embassy opened a new office."


def test_runs_strategy_keeps_every_code_in_place(small_doc, model_dir):
    tr = pipeline.machine_translate(pipeline.start(small_doc, "es"), get_engine("ct2", "en", "es", model=str(model_dir)))
    segs = [(u, s) for u in tr.units for s in u.segments]
    assert all(s.state == "machine" and s.origin == "ct2" for _, s in segs)
    for _, s in segs:
        assert [x for x in s.target if isinstance(x, Tag)] == [x for x in s.source if isinstance(x, Tag)]
        assert not any("codes" in f for f in s.flags)
    assert tr.translated_document().meta.language == "es"


def test_placeholder_strategy_flags_every_segment_whose_codes_the_model_lost(small_doc, model_dir):
    engine = get_engine("ct2", "en", "es", model=str(model_dir), inline="placeholder")
    tr = pipeline.machine_translate(pipeline.start(small_doc, "es"), engine)
    changed = [s for u in tr.units for s in u.segments
               if [x for x in s.target if isinstance(x, Tag)] != [x for x in s.source if isinstance(x, Tag)]]
    assert changed, "a random model cannot copy the placeholders"
    for s in changed:
        if [x for x in s.source if isinstance(x, Tag)]:
            assert any(f.startswith("codes:") for f in s.flags), s.id


def test_argos_package_layout_is_found(model_dir, tmp_path):
    package = tmp_path / "argos-en-es"
    shutil.copytree(model_dir, package / "model")
    shutil.copy(model_dir / "source.spm", package / "sentencepiece.model")
    model, src, tgt = locate(package)
    assert model == package / "model" and src == tgt == package / "sentencepiece.model"
    [out] = get_engine("ct2", "en", "es", model=str(package)).translate([MTItem(["Hello there."], {})], "en", "es")
    assert isinstance(out.content[0], str)


def test_missing_or_broken_model_folder_is_a_clear_error(tmp_path, model_dir):
    with pytest.raises(EngineError, match="needs a model folder"):
        get_engine("ct2", "en", "es")
    with pytest.raises(EngineError, match="no such model folder"):
        get_engine("ct2", "en", "es", model=str(tmp_path / "none")).check("en", "es")
    broken = tmp_path / "broken"
    shutil.copytree(model_dir, broken)
    (broken / "source.spm").unlink()
    with pytest.raises(EngineError, match="no SentencePiece model"):
        get_engine("ct2", "en", "es", model=str(broken)).check("en", "es")


def test_command_line_with_a_ct2_model(model_dir, tmp_path):
    from communique.cli import main

    from .conftest import SMALL

    manuscript = tmp_path / "small.md"
    manuscript.write_text(SMALL, encoding="utf-8")
    main(["translate", str(manuscript), "--to", "es", "--engine", "ct2", "--model", str(model_dir),
          "--out", str(tmp_path / "out")])
    assert (tmp_path / "out" / "es" / "small.es.epub").stat().st_size > 1000
    assert "language: es" in (tmp_path / "out" / "es" / "small.es.md").read_text(encoding="utf-8")

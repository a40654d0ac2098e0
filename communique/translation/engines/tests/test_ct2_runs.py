"""The ct2 engine's batching: one SentencePiece call per batch must still give each run its own
translation, keep the layout's spaces around it, and leave runs that are only spaces alone."""
import pytest

from communique.translation.engines import MTItem, get_engine
from communique.translation.segments import Tag
from communique.translation.tests.tinymodel import build_ct2_model

pytest.importorskip("ctranslate2", reason="the ct2 engine needs ctranslate2")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return get_engine("ct2", "en", "es", model=str(build_ct2_model(tmp_path_factory.mktemp("ct2"))))


def test_spaces_around_a_run_belong_to_the_layout(engine):
    [bare] = engine.translate_texts(["The embassy opened a new cultural office."])
    assert bare and bare == bare.strip()
    out = engine.translate_texts([" The embassy opened a new cultural office.  ", " ", "", "\n"])
    assert out == [" " + bare + "  ", " ", "", "\n"]


def test_a_space_between_two_codes_survives_translation(engine):
    content = [Tag("open", "1"), "embassy", Tag("close", "1"), " ", Tag("open", "2"), "office", Tag("close", "2")]
    [res] = engine.translate([MTItem(content, {})], "en", "es")
    tags = [i for i, x in enumerate(res.content) if isinstance(x, Tag)]
    assert [res.content[i] for i in tags] == [x for x in content if isinstance(x, Tag)]
    assert res.content[tags[1] + 1] == " "  # between the first close and the second open


def test_batches_smaller_than_the_input_translate_every_run_in_order(engine):
    texts = ["Trust, once lost, is slow to return.", "Students from both countries met at the university."] * 4
    engine.batch_size = 3
    try:
        out = engine.translate_texts(texts)
    finally:
        engine.batch_size = 32
    assert len(out) == len(texts) and all(t.strip() for t in out)
    # The same source in another batch comes back the same: results are not shifted between batches.
    assert out[0] == out[2] == out[6] and out[1] == out[7]

from communique.documents import model as m
from communique.translation import pipeline
from communique.translation.engines import EngineError, MTItem, get_engine
from communique.translation.engines.apertium import ApertiumEngine, decode, encode
from communique.translation.segments import Tag, inlines_to_content

import pytest

from .conftest import needs_apertium


def test_stream_encoding_escapes_apertium_syntax_and_binds_codes_to_words():
    codes = {}
    content = inlines_to_content([m.Strong([m.Text("big "), m.Emph([m.Text("red")])]), m.Text(" [x] ^$ * 5"),
                                  m.NoteRef("n")], codes)
    stream = encode(content)
    assert "[[c:1]]big[[/]] [[c:1; c:2]]red[[/]]" in stream
    assert "\\[x\\] \\^\\$ [*] 5" in stream
    assert stream.endswith('[<ph id="3"/>][]')


def test_decoding_regroups_words_that_carry_the_same_code():
    notes = []
    content = decode('El [[c:1]]coche[[/]] [[c:1; c:2]]rojo[[/]] [[c:1]]grande[[/]] es *Nawabshah[<ph id="3"/>] \\[x\\]', notes)
    assert content == ["El ", Tag("open", "1"), "coche ", Tag("open", "2"), "rojo", Tag("close", "2"), " grande",
                       Tag("close", "1"), " es Nawabshah", Tag("ph", "3"), " [x]"]
    assert notes == ["unknown to Apertium: Nawabshah"]


def test_a_code_split_in_two_by_reordering_opens_twice_and_is_flagged():
    content = decode("[[c:1]]uno[[/]] dos [[c:1]]tres[[/]]", [])
    assert content.count(Tag("open", "1")) == 2


@needs_apertium
def test_real_apertium_keeps_codes_and_unknown_words_are_noted():
    codes = {}
    content = inlines_to_content([m.Text("The "), m.Strong([m.Text("red car")]), m.Text(" is in Nawabshah"),
                                  m.NoteRef("n1"), m.Text(".")], codes)
    [res] = get_engine("apertium", "en", "es").translate([MTItem(content, codes)], "en", "es")
    assert res.content[0] == "El "
    assert [x for x in res.content if isinstance(x, Tag)] == [Tag("open", "1"), Tag("close", "1"), Tag("ph", "2")]
    text = "".join(x for x in res.content if isinstance(x, str))
    assert "coche rojo" in text and text.endswith(".") and "*" not in text
    assert any("Nawabshah" in n for n in res.notes)


@needs_apertium
def test_document_through_apertium_is_a_draft_and_flags_changed_codes(small_doc, monkeypatch):
    tr = pipeline.machine_translate(pipeline.start(small_doc, "es"), "apertium")
    segs = [s for u in tr.units for s in u.segments]
    assert all(s.state == "machine" and s.origin == "apertium" for s in segs)
    out = tr.translated_document()
    assert out.meta.language == "es"
    assert out.meta.title.startswith("Un ")  # "A Small Test Book"
    para = out.divisions[0].blocks[0]
    assert any(isinstance(n, m.Strong) for n in para.children) and m.NoteRef("n1") in para.children
    link = next(n for n in out.divisions[0].blocks[1].children if isinstance(n, m.Link))
    assert link.href == "https://example.org/report?a=1&b=2"
    # An engine that drops a code: the segment is flagged, and publishing refuses it.
    import communique.translation.engines.apertium as ap
    real = ap.decode
    monkeypatch.setattr(ap, "decode", lambda s, notes: [x for x in real(s, notes) if not isinstance(x, Tag)])
    tr2 = pipeline.machine_translate(pipeline.start(small_doc, "es"), "apertium")
    flagged = [s for u in tr2.units for s in u.segments if any("codes" in f for f in s.flags)]
    assert flagged and flagged[0].state == "machine"
    for u in tr2.units:
        for s in u.segments:
            s.state = "approved"
    with pytest.raises(pipeline.NotPublishable, match="QA error"):
        pipeline.publishable(tr2)
    assert pipeline.publishable(tr2, override=True, who="editor Ayesha").warnings[0].message.startswith(
        "published by override (editor Ayesha)")


def test_missing_pair_or_program_is_a_clear_error(monkeypatch):
    with pytest.raises(EngineError, match="not installed|no zzz-yyy pair"):
        ApertiumEngine(pair="zzz-yyy").translate([MTItem(["x"], {})], "en", "es")
    with pytest.raises(EngineError, match="not on PATH"):
        ApertiumEngine(command="no-such-apertium").translate([MTItem(["x"], {})], "en", "es")
    with pytest.raises(EngineError, match="unknown translation engine"):
        get_engine("nonsense")


def test_engine_is_chosen_per_language_pair(settings):
    settings.COMMUNIQUE_TRANSLATION_ENGINES = {"en>es": {"engine": "apertium", "pair": "eng-spa"}, "*": {"engine": "none"}}
    assert get_engine(None, "en", "es").name == "apertium"
    assert get_engine(None, "en", "es").pair == "eng-spa"
    assert get_engine(None, "en", "ur").name == "none"


def test_wagtail_localize_translators_by_configuration(small_doc, settings):
    """The dummy translator stands in for DeepL/Google/LibreTranslate: no test calls the network."""
    from communique.translation.engines.localize import LocalizeEngine, from_html, to_html

    settings.COMMUNIQUE_TRANSLATION_ENGINES = {"en>fr": {"engine": "localize", "translator": "dummy"}}
    engine = get_engine(None, "en", "fr")
    assert engine.name == "localize:dummy"
    tr = pipeline.machine_translate(pipeline.start(small_doc, "fr"), engine)
    seg = next(u for u in tr.units if u.id == "d0.b0").segments[0]
    assert seg.state == "machine"
    assert sorted(t.id for t in seg.target if isinstance(t, Tag)) == ["1", "1", "2", "2", "3"]
    content = ["a < b ", Tag("open", "1"), "x", Tag("close", "1"), Tag("ph", "2")]
    assert from_html(to_html(content)) == content
    deepl = LocalizeEngine(translator="deepl", options={"AUTH_KEY": "not-used"})
    assert deepl.name == "localize:deepl"
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
    with pytest.raises(EngineError, match="no wagtail-localize translator"):
        LocalizeEngine()

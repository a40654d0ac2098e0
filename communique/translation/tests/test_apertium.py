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


@needs_apertium
def test_translation_is_a_transform_of_the_document_pipeline(small_doc):
    from communique.documents import transforms

    out = transforms.run(small_doc, ["ids", "translate"], {"translate": {"language": "es", "engine": "apertium"}})
    assert out.meta.language == "es" and out.divisions[0].title == "El Coche Rojo"
    assert small_doc.meta.language == "en"
    with pytest.raises(ValueError, match="needs a target language"):
        transforms.run(small_doc, ["translate"], {})


def test_sentences_share_a_flush_and_a_heading_ends_it():
    from communique.translation.engines.apertium import _groups

    items = [MTItem([t], {}) for t in ("Chapter One", "It rained.", "“Why?” she asked.", "Notes", "See (p. 4).")]
    items.append(MTItem(["He said ", Tag("open", "1"), "so.", Tag("close", "1"), Tag("ph", "2")], {}))
    assert _groups(items) == [[0], [1, 2, 3], [4, 5]]


@needs_apertium
def test_grouped_sentences_come_back_as_each_alone():
    """Sharing a flush must not change a word: the same segments one per flush give the same result."""
    import communique.translation.engines.apertium as ap

    codes = {}
    paras = [[m.Text("The "), m.Strong([m.Text("red car")]), m.Text(" is in Nawabshah.")],
             [m.Text("She bought the big house.")], [m.Text("New policies")],
             [m.Text("Prices rose by 12.4 percent"), m.NoteRef("n1"), m.Text(".")], [m.Text("Why not?")]]
    items = [MTItem(inlines_to_content(p, codes), codes) for p in paras]
    engine = get_engine("apertium", "en", "es")
    together = engine.translate(items, "en", "es")
    alone = [engine.translate([it], "en", "es")[0] for it in items]
    assert [(r.content, r.notes) for r in together] == [(r.content, r.notes) for r in alone]
    assert len(ap._groups(items)) < len(items)


@needs_apertium
def test_a_group_whose_separator_is_lost_is_translated_again_one_per_flush(monkeypatch):
    import communique.translation.engines.apertium as ap

    calls = []
    real = ap.ApertiumEngine._run

    def losing(self, mode, streams, expected):
        calls.append(len(streams))
        out = real(self, mode, streams, expected)
        return [o.replace(ap._SEP, " ", 1) for o in out] if len(calls) == 1 else out

    monkeypatch.setattr(ap.ApertiumEngine, "_run", losing)
    items = [MTItem([t], {}) for t in ("The house is big.", "The car is red.", "Chapter two", "It rained.")]
    results = ap.ApertiumEngine().translate(items, "en", "es")
    assert calls == [2, 3]  # two groups at first; the three segments of the broken one again, alone
    texts = ["".join(x for x in r.content if isinstance(x, str)) for r in results]
    assert texts[0].startswith("La casa") and texts[1].startswith("El coche") and "[" not in "".join(texts)

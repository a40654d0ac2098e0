from communique.translation import pipeline
from communique.translation.memory import Memory
from communique.translation.segments import Tag


def test_exact_match_whatever_the_codes_were_called():
    m = Memory()
    m.add(["The ", Tag("open", "5"), "red", Tag("close", "5"), " car."], ["El coche ", Tag("open", "5"), "rojo", Tag("close", "5"), "."])
    assert m.exact(["The ", Tag("open", "2"), "red", Tag("close", "2"), " car."]) == \
        ["El coche ", Tag("open", "2"), "rojo", Tag("close", "2"), "."]
    assert m.exact(["The red car."]) is None


def test_fuzzy_match_has_a_percentage_and_respects_the_threshold():
    m = Memory()
    m.add_texts([("The embassy opened a new cultural office in the capital.", "La embajada abrió una oficina."),
                 ("Students from both countries met.", "Se reunieron estudiantes.")])
    [hit] = m.fuzzy(["The embassy opened a new cultural office in the city."], threshold=70)
    assert 80 < hit.score < 100 and hit.target == ["La embajada abrió una oficina."]
    assert m.fuzzy(["Something else entirely, about rivers."], threshold=70) == []


def test_index_skips_common_bigrams_but_still_finds_the_match():
    m = Memory(max_postings=50)
    m.add_texts([(f"In the end the ministry number {i} agreed.", f"t{i}") for i in range(500)]
                + [("In the end the cultural attaché quietly rebuilt the old network.", "hit")])
    [hit] = m.fuzzy(["In the end the cultural attaché quietly rebuilt an old network."], limit=1)
    assert hit.target == ["hit"]


def test_pipeline_prefills_from_memory_before_the_engine(small_doc):
    m = Memory()
    tr = pipeline.start(small_doc, "es")
    title = tr.units[0].segments[0]
    m.add(title.source, ["Un libro pequeño de prueba"])
    para = next(u for u in tr.units if u.id == "d0.b0").segments[1]
    m.add(["It costs 12.4 billion dollars in Karachi."], ["Cuesta 12,4 mil millones de dólares en Karachi."])
    m.build_index()
    pipeline.machine_translate(tr, "none", memory=m)
    assert (title.target, title.state, title.origin) == (["Un libro pequeño de prueba"], "memory", "memory 100%")
    assert para.state == "memory" and para.origin == "memory 85.7%" and "fuzzy" in para.flags[0]

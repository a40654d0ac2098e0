from communique.documents import model as m
from communique.translation.manuscript import to_markdown
from communique.translation.segments import (Tag, content_to_inlines, inlines_to_content, reassemble,
                                             segment_document, source_version, split_content)
from communique.documents.readers import read_markdown


def test_round_trip_without_translation_is_identity(sample_doc, small_doc):
    for doc in (sample_doc, small_doc):
        units = segment_document(doc)
        back = reassemble(doc, units, doc.meta.language)
        assert back.divisions == doc.divisions
        assert back.notes == doc.notes
        assert back.meta == doc.meta


def test_units_cover_every_kind_of_text(small_doc):
    ids = {u.id for u in segment_document(small_doc)}
    assert {"meta.title", "d0.title", "d0.b0", "d0.b1", "d0.b2.i0.b0", "d0.b3.r1c1", "d0.b4.b0", "d1.title",
            "n:n1.b0"} <= ids


def test_inline_marks_and_note_refs_are_codes(small_doc):
    unit = next(u for u in segment_document(small_doc) if u.id == "d0.b0")
    assert [s.source_text for s in unit.segments] == ["The big red car is very fast.",
                                                      "It costs 12.4 billion dollars in Islamabad."]
    first = unit.segments[0].source
    assert first == ["The ", Tag("open", "1"), "big ", Tag("open", "2"), "red", Tag("close", "2"), " car",
                     Tag("close", "1"), " is very fast", Tag("ph", "3"), "."]
    assert unit.codes["3"].type == "note" and unit.codes["3"].data == "n1"
    assert unit.segments[0].tail == " "


def test_link_address_is_code_data_not_text(small_doc):
    unit = next(u for u in segment_document(small_doc) if u.id == "d0.b1")
    link = next(c for c in unit.codes.values() if c.type == "link")
    assert link.data == "https://example.org/report?a=1&b=2"
    assert "example.org" not in unit.source_text


def test_a_paired_code_across_a_sentence_end_keeps_sentences_together():
    codes = {}
    content = inlines_to_content([m.Emph([m.Text("One. Two.")]), m.Text(" Three.")], codes)
    pieces = split_content(content)
    assert len(pieces) == 2
    assert pieces[0][0] == [Tag("open", "1"), "One. Two.", Tag("close", "1")]


def test_abbreviations_do_not_split():
    pieces = split_content(["Dr. Khan met Mr. Ali in the U.S. on 5 May. Then they left."])
    assert [p for p, _ in pieces] == [["Dr. Khan met Mr. Ali in the U.S. on 5 May."], ["Then they left."]]


def test_reassembly_puts_targets_in_and_leaves_source_untouched(small_doc):
    units = segment_document(small_doc)
    unit = next(u for u in units if u.id == "d0.b0")
    unit.segments[0].target = ["El ", Tag("open", "1"), "coche ", Tag("open", "2"), "rojo", Tag("close", "2"),
                               " grande", Tag("close", "1"), " es muy rápido", Tag("ph", "3"), "."]
    out = reassemble(small_doc, units, "es")
    para = out.divisions[0].blocks[0]
    assert para.children[:3] == [m.Text("El "), m.Strong([m.Text("coche "), m.Emph([m.Text("rojo")]), m.Text(" grande")]),
                                 m.Text(" es muy rápido")]
    assert para.children[3] == m.NoteRef("n1")
    assert out.meta.language == "es"
    assert small_doc.divisions[0].blocks[0].children[0] == m.Text("The ")


def test_source_version_changes_with_the_text(small_doc):
    before = source_version(segment_document(small_doc))
    small_doc.divisions[0].blocks[0].children[0].text = "A "
    assert source_version(segment_document(small_doc)) != before


def test_unknown_or_unbalanced_codes_do_not_crash_reassembly():
    codes = {}
    inlines_to_content([m.Emph([m.Text("x")])], codes)
    out = content_to_inlines(["a", Tag("close", "1"), Tag("ph", "9"), Tag("open", "1"), "b"], codes)
    assert out == [m.Text("a"), m.Emph([m.Text("b")])]


def test_markdown_manuscript_reads_back_as_the_same_document(sample_doc, small_doc):
    for doc in (sample_doc, small_doc):
        text, losses = to_markdown(doc)
        again = read_markdown(text, base_dir="/nonexistent")
        assert again.divisions == doc.divisions
        assert again.notes == doc.notes
        assert again.meta.title == doc.meta.title and again.meta.contributors == doc.meta.contributors
        assert losses == []


def test_html_description_keeps_its_tags_as_codes(sample_doc):
    unit = next(u for u in segment_document(sample_doc) if u.id == "meta.description")
    assert {c.data for c in unit.codes.values()} >= {"<p>", "</p>", "<b>", "</b>", "<i>", "</i>"}
    assert "<" not in unit.source_text
    for s in unit.segments:
        s.target = [x.upper() if isinstance(x, str) else x for x in s.source]
    out = reassemble(sample_doc, [unit], "es")
    assert out.meta.description.startswith("<p>HOW DO NATIONS SPEAK")
    assert "<b>THE QUIET CHANNEL</b>" in out.meta.description

import re

from communique.documents.readers import read_markdown
from communique.documents.sample import generate_manuscript


def test_deterministic_and_seeded():
    a = generate_manuscript(words=5000, footnotes=10, seed=1)
    assert a == generate_manuscript(words=5000, footnotes=10, seed=1)
    assert a != generate_manuscript(words=5000, footnotes=10, seed=2)


def test_size_notes_and_tables_as_asked():
    text = generate_manuscript(words=20_000, footnotes=40, seed=1, tables=2)
    body = text.split("---", 2)[2]
    words = len(body.split())
    assert 19_000 <= words <= 22_000, words
    assert len(re.findall(r"^\[\^n\d+\]: ", text, re.M)) == 40
    doc = read_markdown(text)
    assert len(doc.notes) == 40
    refs = set(re.findall(r"\[\^(n\d+)\](?!:)", text))
    assert refs == set(doc.notes)
    tables = [b for d in doc.divisions for b in d.blocks if type(b).__name__ == "Table"]
    assert len(tables) == 2
    assert doc.divisions[0].kind == "preface" and doc.divisions[-1].kind == "acknowledgments"
    assert any(b.__class__.__name__ == "Heading" for b in doc.divisions[1].blocks)
    assert doc.meta.title == "Quiet Channels" and doc.meta.contributors[0].role_line


def test_more_notes_than_paragraphs_still_all_referenced():
    text = generate_manuscript(words=600, footnotes=50, seed=4)
    doc = read_markdown(text)
    refs = set(re.findall(r"\[\^(n\d+)\](?!:)", text))
    assert len(doc.notes) == 50 and refs == set(doc.notes)

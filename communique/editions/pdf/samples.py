"""Small generated documents for the PDF writer's tests and benchmark.

Deterministic (a seeded generator), so a failing test prints the same pages every run.
"""
from __future__ import annotations

import random

from communique.documents import model as m

_WORDS = ("diplomacy embassy treaty council minister delegation summit envoy dialogue charter "
          "cooperation negotiation sovereignty commerce culture exchange scholarship broadcast "
          "alliance mandate protocol consulate resolution assembly observer mission partnership "
          "the of and to in a for with on that by as from at is was were which their between "
          "international relations public opinion government policy region history development").split()

_URDU = ("سفارت کاری معاہدہ کونسل وزیر وفد سربراہی ملاقات مکالمہ تعاون مذاکرات ثقافت تبادلہ "
         "اتحاد عوامی رائے حکومت پالیسی خطہ تاریخ ترقی اور کے میں کی سے کو ہے تھا").split()


def sentence(rng: random.Random, vocab=_WORDS, n=None) -> str:
    n = n or rng.randint(8, 22)
    words = [rng.choice(vocab) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph(rng, vocab=_WORDS, sentences=None) -> str:
    return " ".join(sentence(rng, vocab) for _ in range(sentences or rng.randint(3, 7)))


def book(chapters=3, paragraphs=12, footnotes_per_chapter=2, language="en", title="A Test of Print",
         seed=7, kind="chapter", words=None) -> m.Document:
    """A book with `chapters` chapters; with `words`, paragraphs are added until about that many."""
    rng = random.Random(seed)
    vocab = _URDU if language.startswith("ur") else _WORDS
    meta = m.Metadata(
        title=title, subtitle="Essays on Public Diplomacy", language=language,
        contributors=[m.Contributor("Amina Rahman"), m.Contributor("Jon Ellis", role="editor")],
        publisher="Communiqué Books", date="2026-05-01", rights="© 2026 Amina Rahman",
        identifiers={"isbn": "9780000000002"}, subjects=["diplomacy", "public opinion"],
        description="A generated book for print tests.")
    doc = m.Document(meta)
    per_chapter_words = (words // chapters) if words else None
    note_no = 0
    for c in range(chapters):
        title_c = f"Chapter {c + 1}: " + " ".join(rng.choice(vocab) for _ in range(3)).title() if not language.startswith("ur") \
            else f"باب {c + 1} " + " ".join(rng.choice(vocab) for _ in range(2))
        div = m.Division(kind, title=title_c, id=f"ch{c + 1}")
        count = 0
        p = 0
        note_at = set(rng.sample(range(max(paragraphs, 1)), min(footnotes_per_chapter, max(paragraphs, 1)))) \
            if not per_chapter_words else None
        while (count < per_chapter_words) if per_chapter_words else (p < paragraphs):
            text = paragraph(rng, vocab)
            inlines: list = [m.Text(text)]
            wants_note = (p in note_at) if note_at is not None else (rng.random() < footnotes_per_chapter / 40)
            if wants_note:
                note_no += 1
                nid = f"n{note_no}"
                doc.notes[nid] = [m.Paragraph([m.Text(f"Note {note_no}. " + sentence(rng, vocab))])]
                inlines.append(m.NoteRef(nid))
                inlines.append(m.Text(" " + sentence(rng, vocab)))
            if p % 9 == 4:
                div.blocks.append(m.Heading(1, [m.Text(sentence(rng, vocab, 4).rstrip("."))]))
            div.blocks.append(m.Paragraph(inlines))
            count += len(text.split())
            p += 1
        doc.divisions.append(div)
    return doc


def issue(articles=3, paragraphs=10) -> m.Document:
    rng = random.Random(11)
    meta = m.Metadata(title="Communiqué", subtitle="Issue 42 — Soft Power", language="en", date="2026-11-01",
                      publisher="Communiqué", subjects=["diplomacy"])
    doc = m.Document(meta)
    sections = ["OpEd", "Interview", "Analysis", "Culture"]
    for a in range(articles):
        author = m.Contributor(f"Author {a + 1}", role_line="Senior Fellow, Institute of Peace and Diplomatic Studies",
                               bio=sentence(rng, n=18))
        div = m.Division("article", title=f"Article {a + 1}: " + sentence(rng, n=5).rstrip("."),
                         id=f"art{a + 1}", contributors=[author], section_label=sections[a % len(sections)],
                         subtitle=sentence(rng, n=10))
        for p in range(paragraphs):
            inlines = [m.Text(paragraph(rng))]
            if p == 2:
                nid = f"a{a}n1"
                doc.notes[nid] = [m.Paragraph([m.Text("Footnote of article %d. " % (a + 1) + sentence(rng))])]
                inlines.append(m.NoteRef(nid))
            div.blocks.append(m.Paragraph(inlines))
            if p == 4:
                div.blocks.append(m.PullQuote(sentence(rng, n=12), author.name))
        doc.divisions.append(div)
    return doc

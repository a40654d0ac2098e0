"""A deterministic Markdown manuscript for benchmarks, tests and the KDP kit's CI sample.

Sentences are assembled from phrase lists written for this module (about public diplomacy, the
magazine's subject), so the text reads as plausible prose with realistic word and sentence lengths,
and the same arguments always give the same bytes."""
from __future__ import annotations

import random
from collections import Counter

SUBJECTS = [
    "The embassy's cultural office", "A small delegation of young diplomats", "The foreign ministry",
    "Our correspondent in Geneva", "The regional envoy", "A coalition of civic groups", "The trade attaché",
    "Local journalists", "The exchange programme", "The negotiating team", "A visiting scholar",
    "The permanent mission", "Several former ambassadors", "The public affairs section", "The new consul",
    "A network of alumni", "The press secretary", "Students from both countries", "The summit's hosts",
    "The parliamentary committee",
]
VERBS = [
    "quietly rebuilt", "spent a decade defending", "questioned the logic of", "published a careful study of",
    "opened a new chapter in", "tried to explain", "returned again and again to", "reshaped the terms of",
    "invested heavily in", "took a patient interest in", "kept a close record of", "argued in favour of",
    "learned the limits of", "drew attention to", "gave fresh meaning to", "carefully documented",
]
OBJECTS = [
    "the old network of cultural institutes", "a treaty that few people had read", "the language of mutual respect",
    "scholarships for rural students", "radio broadcasts in three languages", "the memory of an earlier crisis",
    "the rules of maritime trade", "a festival of film and music", "the humanitarian corridor",
    "relations with neighbouring capitals", "the public's trust in official statements", "water-sharing agreements",
    "the archive of diplomatic cables", "a programme of visiting writers", "the border markets",
    "a joint statement on climate", "the reputation of the national airline", "town-hall meetings abroad",
]
CLAUSES = [
    "while the talks were still under way", "long before the cameras arrived", "in the months after the election",
    "despite a shrinking budget", "with the help of two universities", "as public opinion began to shift",
    "at a time when few believed it possible", "without much notice in the press", "during the long winter of talks",
    "after a difficult first year", "because the old channels had closed", "in spite of repeated delays",
    "when the ceasefire finally held", "once the visas were approved",
]
OPENERS = [
    "In practice,", "By most accounts,", "Looking back,", "For a while,", "Even so,", "At the same time,",
    "In the end,", "Seen from the capital,", "According to the minutes,", "Perhaps more importantly,",
    "To the surprise of many,", "Within a few weeks,",
]
REFLECTIONS = [
    "Trust, once lost, is slow to return.", "Nobody expected the work to be quick.",
    "The details mattered more than the speeches.", "Much of it happened in rooms without microphones.",
    "The results were modest but durable.", "It was, above all, a question of listening.",
    "Some of the lessons still apply today.", "The archive tells a more complicated story.",
]
CHAPTER_TITLES = [
    "Beginnings", "The Long Table", "Voices Across the Border", "An Office Abroad", "The Exchange Years",
    "Words and Their Weight", "The Cultural Institutes", "Broadcasting Hope", "Quiet Channels",
    "The Summit That Almost Failed", "Students and Envoys", "The Archive", "Trade and Trust", "The River Talks",
    "Festivals and Films", "Listening First", "A Decade of Visits", "The Press Room", "Old Friends, New Rules",
    "What Remains", "Small Victories", "The Second Generation", "Maps and Memory", "Open Doors",
]
SECTION_TITLES = [
    "Early signs", "The first meetings", "A change of tone", "Counting the cost", "Voices from the field",
    "A wider view", "Unfinished business", "The view from abroad",
]


def _sentence(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(REFLECTIONS)
    core = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if roll < 0.45:
        core = f"{core} {rng.choice(CLAUSES)}"
    if roll > 0.75:
        first = rng.choice(OPENERS)
        core = f"{first} {core[0].lower()}{core[1:]}"
    return core + "."


def _paragraph(rng: random.Random, target_words: int) -> tuple[str, int]:
    sentences, words = [], 0
    while words < target_words:
        s = _sentence(rng)
        sentences.append(s)
        words += len(s.split())
    return " ".join(sentences), words


def generate_manuscript(words: int = 100_000, footnotes: int = 120, seed: int = 1, tables: int = 3,
                        language: str = "en") -> str:
    """Markdown with YAML front matter, a preface, chapters with `##` sections, `footnotes` notes
    spread evenly, `tables` small tables and an acknowledgments chapter; about `words` words of text."""
    rng = random.Random(seed)
    chapters = max(1, min(len(CHAPTER_TITLES), round(words / 5000)))
    out = [
        "---",
        'title: "Quiet Channels"',
        'subtitle: "A History of Public Diplomacy in Practice"',
        "authors:",
        "  - name: Amina Rahman",
        "    role: author",
        '    role_line: "Senior Fellow, Institute of Peace and Diplomatic Studies"',
        '    bio: "Amina Rahman has written about cultural diplomacy for twenty years."',
        "  - name: Jonas Weber",
        "    role: editor",
        f"language: {language}",
        "publisher: Communiqué Books",
        "date: 2026-01-15",
        'rights: "All rights reserved."',
        'description: "A sample manuscript generated for tests and benchmarks."',
        "keywords: [public diplomacy, cultural exchange, negotiation]",
        "series: {name: Communiqué Studies, number: 1}",
        f"uuid: 6f1c2d3e-4b5a-5c6d-8e7f-{seed:012d}",
        "---",
        "",
        "# Preface",
        "",
    ]
    body_words = max(0, words - 400)
    per_chapter = body_words / chapters
    # Spread notes and tables evenly over the paragraphs to come.
    paragraphs_total = max(1, int(body_words / 90))
    note_at = Counter(int(i * paragraphs_total / footnotes) for i in range(footnotes))
    table_at = {int((i + 0.5) * paragraphs_total / tables) for i in range(tables)} if tables else set()
    note_no = 0
    notes_text = []
    text, n = _paragraph(rng, 150)
    out += [text, "", _paragraph(rng, 150)[0], ""]
    p_index = 0
    for c in range(chapters):
        out += [f"# {CHAPTER_TITLES[c]}", ""]
        written = 0
        sections = iter(rng.sample(SECTION_TITLES, len(SECTION_TITLES)))
        next_section = per_chapter / 3
        while written < per_chapter:
            if written >= next_section:
                out += [f"## {next(sections, 'Further notes')}", ""]
                next_section += per_chapter / 3
            text, n = _paragraph(rng, rng.randint(60, 120))
            written += n
            for _ in range(note_at.get(p_index, 0)):
                note_no += 1
                text += f"[^n{note_no}]"
                notes_text.append(f"[^n{note_no}]: {_sentence(rng)} {_sentence(rng)}")
            out += [text, ""]
            if p_index in table_at:
                out += _table(rng)
            p_index += 1
    while note_no < footnotes:  # fewer paragraphs than notes: put the rest on the last paragraph
        note_no += 1
        out[-2] += f"[^n{note_no}]"
        notes_text.append(f"[^n{note_no}]: {_sentence(rng)}")
    out += ["# Acknowledgments", "", _paragraph(rng, 120)[0], ""]
    out += notes_text
    return "\n".join(out) + "\n"


def _table(rng: random.Random) -> list[str]:
    years = sorted(rng.sample(range(1990, 2025), 4))
    rows = ["| Year | Exchange visits | Scholarships | Joint events |", "|---:|---:|---:|---:|"]
    for y in years:
        rows.append(f"| {y} | {rng.randint(20, 400)} | {rng.randint(5, 90)} | {rng.randint(1, 30)} |")
    return rows + [""]

"""The back-of-book index as a transform: marks in the text, an index division at the back.

    transforms.run(document, ["index"], {"index": {"names": [...], "terms": "Gas > prices\\n…",
                                                   "language": "tr", "ranges": "ff"}})

Entries come from the research desk (communique/research/index.py): the authority names the
extractor finds in the book (confirmed records passed as `names`, plus the shipped starter list
unless `use_starter` is False) and the editor's `terms` (text in the terms-file syntax, or parsed
Terms). Every place the text names an entry is wrapped in an IndexMark with its own id; the index
division holds one IndexBlock whose locators are those ids. Each writer turns them into what its
format can hold: page numbers from the layout (PDF), EPUB Indexes links (EPUB), links (HTML).

Sorting and letter groups are ICU's for the book's language (or `language`), so running this
after "translate" gives a translated edition its own index. `ranges` is the house style for
consecutive pages ("join": 12–14, "ff": 12f., 12ff.)."""
from __future__ import annotations

import re

from communique.documents import model as dm
from communique.documents.index_nodes import RANGE_STYLES, IndexBlock, IndexEntry, IndexLocator, IndexMark

# "Index", "see", "see also" in the magazine's languages; others fall back to English.
LABELS = {
    "en": ("Index", "see", "see also"),
    "es": ("Índice analítico", "véase", "véase también"),
    "fr": ("Index", "voir", "voir aussi"),
    "de": ("Register", "siehe", "siehe auch"),
    "ru": ("Указатель", "см.", "см. также"),
    "tr": ("Dizin", "bkz.", "ayrıca bkz."),
    "ar": ("الفهرس", "انظر", "انظر أيضًا"),
    "ur": ("اشاریہ", "دیکھیے", "نیز دیکھیے"),
    "fa": ("نمایه", "نگاه کنید به", "نیز نگاه کنید به"),
    "hi": ("अनुक्रमणिका", "देखें", "यह भी देखें"),
    "zh": ("索引", "见", "另见"),
}

_SKIP = (dm.Code, dm.NoteRef, dm.LineBreak)


def _labels(language: str) -> tuple[str, str, str]:
    return LABELS.get(language.split("-")[0].lower(), LABELS["en"])


def _pattern(forms) -> re.Pattern | None:
    forms = sorted({f for f in forms if f.strip()}, key=len, reverse=True)
    if not forms:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", re.I)


class _Marker:
    """Wraps matches of a pattern in IndexMarks, in one division's inline trees."""

    def __init__(self, taken_ids: set[str]):
        self.n = 0
        self.taken = taken_ids

    def new_id(self) -> str:
        while True:
            self.n += 1
            candidate = f"ix-{self.n}"
            if candidate not in self.taken:
                return candidate

    def mark(self, inlines: list, pattern: re.Pattern, on_mark) -> list:
        out = []
        for node in inlines:
            if isinstance(node, dm.Text):
                pos = 0
                for m in pattern.finditer(node.text):
                    if m.start() > pos:
                        out.append(dm.Text(node.text[pos:m.start()]))
                    mark = IndexMark(self.new_id(), [dm.Text(m.group(0))])
                    on_mark(mark.id, m.group(0))
                    out.append(mark)
                    pos = m.end()
                if pos == 0:
                    out.append(node)
                elif pos < len(node.text):
                    out.append(dm.Text(node.text[pos:]))
            elif isinstance(node, _SKIP) or not hasattr(node, "children"):
                out.append(node)
            else:
                node.children = self.mark(node.children, pattern, on_mark)
                out.append(node)
        return out


def _inline_lists(blocks):
    """Every marked-up run of text of a division's blocks: paragraphs, list items, quotes, table
    cells. Headings are left alone (an index points at the text, not at titles)."""
    for b in blocks:
        if isinstance(b, dm.Paragraph):
            yield b
        elif isinstance(b, dm.BlockQuote):
            yield from _inline_lists(b.blocks)
        elif isinstance(b, dm.ListBlock):
            for item in b.items:
                yield from _inline_lists(item)
        elif isinstance(b, dm.Table):
            for row in b.rows:
                yield from row


def add_index(document: dm.Document, options: dict) -> dm.Document:
    from communique.research.index import build_index, parse_terms

    opts = dict(options.get("index") or {})
    ranges = opts.get("ranges") or "join"
    if ranges not in RANGE_STYLES:
        raise ValueError(f"index: ranges must be one of {', '.join(RANGE_STYLES)}, not {ranges!r}")
    terms = opts.get("terms") or ()
    if isinstance(terms, str):
        terms = parse_terms(terms)
    language = opts.get("language") or document.meta.language or "en"
    title, see_label, see_also_label = _labels(language)
    title = opts.get("title") or title

    document.divisions = [d for d in document.divisions if d.kind != "index"]
    built = build_index(document, names=opts.get("names"), terms=terms, language=language,
                        use_starter=opts.get("use_starter", True))
    divisions = list(document.walk_divisions())
    taken = {d.id for d in divisions if d.id} | {b.id for _, b in document.walk_blocks()
                                                  if isinstance(b, dm.Heading) and b.id}
    marker = _Marker(taken)
    entry_no = 0

    def new_entry(source) -> IndexEntry:
        nonlocal entry_no
        entry_no += 1
        return IndexEntry(source.heading, f"ixe-{entry_no}", see=source.see, see_also=list(source.see_also))

    # Each research entry → an IndexEntry; its forms are marked in the divisions it was found in.
    wanted: dict[int, list[tuple[object, IndexEntry]]] = {}
    subs: list[tuple[object, IndexEntry, object]] = []
    groups = []
    for label, entries in built.groups:
        out_entries = []
        for e in entries:
            entry = new_entry(e)
            out_entries.append(entry)
            if not e.see:
                for loc in e.locators:
                    wanted.setdefault(loc.division, []).append((e, entry))
            for s in e.subentries:
                sub = new_entry(s)
                entry.subentries.append(sub)
                subs.append((s, sub, e))
        groups.append((label, out_entries))

    for d_index, div in enumerate(divisions):
        if not div.blocks:
            continue
        here = wanted.get(d_index, [])
        by_form: dict[str, list[IndexEntry]] = {}
        forms = set()
        for source, entry in here:
            for form in source.forms:
                forms.add(form)
                by_form.setdefault(form.casefold(), []).append(entry)
        # The pattern is built from the forms as written: a lowercased "İzmir" no longer matches it.
        pattern = _pattern(forms)
        for run in _inline_lists(div.blocks) if pattern else ():
            def on_mark(mark_id, text, d=d_index, title=div.title):
                for entry in by_form.get(text.casefold(), []):
                    entry.locators.append(IndexLocator(mark_id, d, title))
            run.children = marker.mark(run.children, pattern, on_mark)
        # Sub-entries: their words where the same paragraph names the heading ("Gas > prices").
        for source, sub, parent in subs:
            if not any(loc.division == d_index for loc in source.locators):
                continue
            heading = _pattern(parent.forms or [parent.heading])
            sub_pattern = _pattern(source.forms or [source.heading])
            for run in _inline_lists(div.blocks):
                if heading.search(dm.plain_text(run.children)):
                    run.children = marker.mark(
                        run.children, sub_pattern,
                        lambda mark_id, text, d=d_index, t=div.title, e=sub: e.locators.append(IndexLocator(mark_id, d, t)))

    kept_groups = []
    for label, entries in groups:
        kept = []
        for e in entries:
            e.subentries = [s for s in e.subentries if s.locators]
            if e.locators or e.see or e.subentries or e.see_also:
                kept.append(e)
            else:
                document.warn("index", f"{e.heading!r} was found but could not be marked in the text; left out")
        if kept:
            kept_groups.append((label, kept))
    block = IndexBlock(language, kept_groups, ranges=ranges, see_label=see_label, see_also_label=see_also_label)
    index_id = "index" if "index" not in taken else "back-index"
    document.divisions.append(dm.Division(kind="index", title=title, blocks=[block], id=index_id))
    return document

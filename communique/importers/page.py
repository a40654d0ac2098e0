"""`communique import page PATH`: one saved article page (HTML) or a scraped text of one.

HTML is read by structure (JSON-LD, meta tags, article/main, h1, rel=author, itemprop, byline
classes) after the site chrome is cut away; when the page has no recognisable article container,
or the one it has holds less than half of what trafilatura finds, trafilatura's extraction is the
body. Either way the HTML becomes blocks through the one HTML reader
(communique.documents.readers.html). Plain text is read by line heuristics (breadcrumbs glued to
the headline, short byline lines, "By X", "The writer is …" bio lines, boilerplate). Both end as a
Document and go into Wagtail through to_wagtail.save_document."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html

from communique.documents import model as dm

from communique.documents.readers import html as html_reader

from .base import ImportFailed, ImportSession, decode_text, read_bytes

KIND = "page"

# Lines after which nothing belongs to the article (lists of other stories, comment threads).
STOP_RE = re.compile(
    r"^(most popular|most read|popular (posts|stories|news)|related( posts| articles| stories| news| content)?"
    r"|you (may|might) also like|more (from|in|stories)\b|recommended( for you)?|read next|trending( now)?"
    r"|latest (news|posts|stories)|leave a (comment|reply)|\d+\s+comments?|comments?( \(\d+\))?"
    r"|post a comment|join the discussion|also read|popular)\s*[:.]?\s*$",
    re.I,
)
# Chrome lines dropped wherever they appear.
DROP_RE = re.compile(
    r"^(skip to (main )?content|(publicado|publié|publiée|veröffentlicht|pubblicato) (el|le|am|il) .*"
    r"|follow us( on .*)?|share( this( article| story| post)?)?( on .*)?|share via.*|tweet|print|e-?mail"
    r"|whatsapp|facebook|twitter|linkedin|telegram|copy link|subscribe( now| to .*)?|sign up( for .*)?"
    r"|advertisement|sponsored|click here.*|read more\b.*|also read\b.*|continue reading|back to top|home|menu|search"
    r"|filed under:?.*|posted in:?.*|tags?:.*|categories?:.*|reading time:?.*|\d+\s+min(ute)?s? read"
    r"|newsletter.*|photo:.*|image:.*|file photo.*|photo credit.*|getty images|reuters|ap photo.*)\s*[:.]?\s*$",
    re.I,
)
# "By" in the magazine's languages (von, par, por, di, door, av, af), and "Author:".
BYLINE_RE = re.compile(r"^(?:by|written by|words by|author:|authors:|von|par|por|di|door|av|af|przez)\s+(.+?)\s*$", re.I)
BIO_RE = re.compile(
    r"^[\(\*—–\-\s_]*(?:the|this)\s+(?:writer|author|columnist|contributor|reviewer|interviewer)s?\s+"
    r"(?:is|are|was|were|has been|have been|serves as|works as)\s+(.+?)[\)\*_\s]*$",
    re.I,
)
# A publisher's description of itself, pasted under every article.
PUBLISHER_RE = re.compile(
    r"(premier\b.*\b(magazine|newspaper|publication|outlet)|since its inception|at the forefront of"
    r"|all rights reserved|©|copyright \d{4}|media house|is a (leading|premier|bi-?monthly|monthly|weekly)"
    r"\b.*\b(magazine|publication|outlet)|we are an independent)",
    re.I,
)
DATE_RE = re.compile(
    r"^(?:published|posted|updated)?\s*:?\s*("
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4})\b.*$",
    re.I,
)
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
NAME_PARTICLES = {"de", "da", "van", "von", "der", "al", "el", "bin", "ibn", "ul", "ud", "la", "le", "di", "du"}


@dataclass
class ExtractedPage:
    title: str = ""
    section: str = ""
    authors: list[str] = field(default_factory=list)
    author_bio: str = ""
    role_line: str = ""
    roles: dict = field(default_factory=dict)  # author name → role line, from a bio naming several people
    standfirst: str = ""
    date: str = ""
    tags: list[str] = field(default_factory=list)
    blocks: list = field(default_factory=list)
    publisher_blurb: str = ""
    dropped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: dict = field(default_factory=dict)  # footnote id → blocks

    def paragraphs(self) -> list[str]:
        out = []
        for b in self.blocks:
            if isinstance(b, (dm.Paragraph, dm.Heading)):
                out.append(dm.plain_text(b.children).strip())
            elif isinstance(b, dm.PullQuote):
                out.append(b.text)
            elif isinstance(b, dm.BlockQuote):
                out.extend(dm.plain_text(x.children).strip() for x in b.blocks if hasattr(x, "children"))
            elif isinstance(b, dm.ListBlock):
                for item in b.items:
                    out.extend(dm.plain_text(x.children).strip() for x in item if hasattr(x, "children"))
            elif isinstance(b, dm.Table):
                out.extend(" | ".join(dm.plain_text(c.children) for c in row) for row in b.rows)
            elif isinstance(b, dm.CodeBlock):
                out.append(b.text.strip("\n"))
        return [p for p in out if p]

    def as_json(self) -> dict:
        return {
            "section": self.section,
            "title": self.title,
            "authors": self.authors,
            "author_bio": self.author_bio,
            "role_line": self.role_line,
            "roles": self.roles,
            "standfirst": self.standfirst,
            "date": self.date,
            "tags": self.tags,
            "body": self.paragraphs(),
            "warnings": self.warnings,
        }

    def to_document(self) -> dm.Document:
        contributors = [dm.Contributor(name, role_line=self.roles.get(name, "")[:255]) for name in self.authors]
        if len(contributors) == 1 and not contributors[0].role_line:  # a bio under a co-written piece cannot be split between people
            contributors[0].role_line = self.role_line
            contributors[0].bio = self.author_bio
        meta = dm.Metadata(
            title=self.title, contributors=contributors, date=self.date, subjects=self.tags,
            description=self.standfirst,
        )
        div = dm.Division(kind="article", title=self.title, blocks=self.blocks, section_label=self.section)
        return dm.Document(meta=meta, divisions=[div], notes=dict(self.notes))


# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Burmese): a sentence
# of them is one "word" to str.split(), so a Chinese article would count as a few words of chrome.
_UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNSPACED_RE = re.compile(f"[{_UNSPACED}]")
_SPACED_WORD_RE = re.compile(f"[^\\s{_UNSPACED}]+")


def count_words(text: str) -> int:
    """Words in any script: spaced words, plus one word per two characters of an unspaced script
    (about the length of a Chinese or Japanese word)."""
    return len(_SPACED_WORD_RE.findall(text)) + (len(_UNSPACED_RE.findall(text)) + 1) // 2


def _words(blocks: list) -> int:
    return sum(count_words(dm.plain_text(b.children)) for b in blocks if isinstance(b, dm.Paragraph))


def _prose_words(blocks: list) -> int:
    counts = [count_words(dm.plain_text(b.children)) for b in blocks if isinstance(b, dm.Paragraph)]
    return sum(n for n in counts if n >= 12)


def _chrome_lines(blocks: list) -> int:
    """Short paragraphs that are not sentences: menu entries, breadcrumbs, "Next post" links."""
    n = 0
    for b in blocks:
        if isinstance(b, dm.Paragraph):
            text = dm.plain_text(b.children).strip()
            if text and count_words(text) < 6 and not re.search(r"[.!?»”\"。！？]$", text):
                n += 1
    return n


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", (s or "").replace("\u00a0", " ")).strip()


def _key(s: str) -> str:
    return re.sub(r"[^\w]+", " ", s.lower()).strip()


def role_line_from_bio(bio: str) -> str:
    m = BIO_RE.match(bio)
    if not m:
        return ""
    role = m.group(1).strip()
    role = re.split(r"(?<=[a-z\)])\.\s", role)[0]  # first sentence only
    role = re.sub(r"^(a|an|the)\s+", "", role, flags=re.I).rstrip(" .")
    return (role[:1].upper() + role[1:])[:255]


def roles_from_bio(bio: str, names: list[str]) -> dict:
    """ "Amina Haddad is a senior fellow at the Institute. Tom Reyes covers technology." → each
    named author's role line ("Senior fellow at the Institute")."""
    out = {}
    for name in names:
        m = re.search(re.escape(name) + r"\s+(?:is|was|serves as|works as|ist|war|est|es|è)\s+"
                      r"(?:(?:a|an|the|ein|eine|un|une|una|uno|el|la|le)\s+)?(.+?)(?:\.(?:\s|$)|$)", bio)
        if m:
            role = m.group(1).strip().rstrip(" .")
            out[name] = (role[:1].upper() + role[1:])[:255]
    return out


HELPERS_RE = re.compile(r"\s*\(\s*(?:with|avec|mit|con|com|met|z)\s+([^)]*)\)", re.I)


def split_names(text: str) -> list[str]:
    # "Bradley M. Kuhn (http://ebb.org/bkuhn/)", "Jane Doe <jane@example.org>": the name only.
    text = re.sub(r"\s*[(<\[]?\s*(?:https?://|mailto:|www\.)\S*?\s*[)>\]]?(?=\s|,|;|$)", "", text)
    text = re.sub(r"\s*[(<\[]\s*[\w.+-]+@[\w-]+\.[\w.-]+\s*[)>\]]", "", text)
    text = re.sub(r"\s*[|·•]\s*.*$", "", text)  # "Jane Doe | March 3, 2021"
    # "Martin Untersinger (avec Damien Leloup et Morgane Tual)": the helpers are authors too.
    text = HELPERS_RE.sub(r", \1", text)
    text = re.sub(r",?\s+(?:on|published|updated)\s+.*$", "", text, flags=re.I)
    parts = re.split(r"\s*(?:,|&|;|\b(?:and|und|et|y|e|en|og|och|и)\b)\s*", text)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def dc_name(value: str) -> str:
    """A Dublin Core creator is "Family, Given [particle]" ("Jong, Michiel de", "Kooman, F."): the
    name as a byline writes it. A value without a comma is already in that order."""
    value = _clean(value)
    if value.count(",") != 1:
        return value if value and len(value) < 80 else ""
    family, given = (p.strip() for p in value.split(","))
    given_words = given.split()
    particles = []
    while given_words and given_words[-1].lower() in NAME_PARTICLES:
        particles.insert(0, given_words.pop())
    return " ".join(given_words + particles + [family]).strip()


def byline_names(text: str) -> list[str]:
    """The names in a "By Jane Doe and John Roe" line; empty for prose that happens to start with
    "By" ("By then, the talks had stalled.")."""
    m = BYLINE_RE.match(text)
    if not m or len(text) > 120:
        return []
    names = split_names(m.group(1))
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 5 or re.search(r"[\d!?;:\"“”]", name):
            return []
        if not all(w[:1].isupper() or w.lower() in NAME_PARTICLES for w in words):
            return []
    return names


def looks_like_name(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 5 or len(line) > 60 or re.search(r"[\d@:;!?\"“”]|\.$", line):
        return False
    return all(w[:1].isupper() or w.lower() in NAME_PARTICLES or not w[:1].isalpha() for w in words)


def parse_date_text(s: str) -> str:
    s = s.strip()
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?", s)
    if m:
        return m.group(0).replace(" ", "T")
    m = re.search(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", s, re.I)
    if m and m.group(1)[:3].lower() in MONTHS:
        return f"{int(m.group(3)):04d}-{MONTHS[m.group(1)[:3].lower()]:02d}-{int(m.group(2)):02d}"
    m = re.search(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})", s, re.I)
    if m and m.group(2)[:3].lower() in MONTHS:
        return f"{int(m.group(3)):04d}-{MONTHS[m.group(2)[:3].lower()]:02d}-{int(m.group(1)):02d}"
    return ""


def is_long(line: str) -> bool:
    return len(line) >= 150 or len(line.split()) >= 25


# ---- body filtering shared by text and HTML ---------------------------------------------------


def filter_body(page: ExtractedPage, items: list) -> list:
    """Drop repeated headlines (image captions), chrome, bylines, bio and publisher lines from a list
    of blocks; stop at "Most Popular", "Related", comments."""
    title_key = _key(page.title)
    kept = []
    footer = False
    for block in items:
        text = _clean(dm.plain_text(block.children)) if isinstance(block, (dm.Paragraph, dm.Heading)) else None
        if text is None:
            if not footer:
                kept.append(block)
            continue
        if not text:
            continue
        k = _key(text)
        if STOP_RE.match(text) or (len(text) < 40 and k in ("most popular", "related", "comments")):
            page.dropped.append(text)
            # "Comments (3)" or "Related" in the chrome above the article is no end of it: only
            # once some of the article has been read does such a line close it.
            if _words(kept) >= 60:
                break
            continue
        if title_key and k == title_key:
            page.dropped.append(text)
            continue
        bio = BIO_RE.match(text)
        if bio and len(text) < 400:
            page.author_bio = page.author_bio or text
            page.role_line = page.role_line or role_line_from_bio(text)
            footer = True  # under a bio line comes the site's footer, not the article
            continue
        if DROP_RE.match(text) and len(text) < 80:
            page.dropped.append(text)
            continue
        names = byline_names(text)
        if names and not page.authors:
            page.authors = names
            continue
        if names and {_key(n) for n in names} <= {_key(a) for a in page.authors}:
            continue
        if len(text) < 120 and _key(text) in {_key(a) for a in page.authors}:
            continue
        if PUBLISHER_RE.search(text) and footer:
            page.publisher_blurb = page.publisher_blurb or text
            page.dropped.append(text)
            footer = True
            continue
        if footer:
            page.dropped.append(text)
            continue
        kept.append(block)
    # Trailing chrome that slipped through (a blurb without a bio line above it).
    while kept and isinstance(kept[-1], dm.Paragraph) and PUBLISHER_RE.search(dm.plain_text(kept[-1].children)):
        page.publisher_blurb = page.publisher_blurb or _clean(dm.plain_text(kept[-1].children))
        kept.pop()
    return kept


# ---- plain text ------------------------------------------------------------------------------


def text_items(text: str) -> list[str]:
    """Paragraph candidates: blank-line separated chunks; a chunk of hard-wrapped long lines is one
    paragraph, a chunk of short lines (breadcrumbs, byline, date) stays one item per line."""
    items = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [_clean(l) for l in chunk.split("\n") if _clean(l)]
        if not lines:
            continue
        if _hard_wrapped(lines):
            items.append(" ".join(lines))
        else:
            items.extend(lines)
    return items


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines of one paragraph wrapped at a fixed width (e-mail, a text editor): every line within the
    width, all but the last near it, mostly breaking mid-sentence. A browser's copy puts each
    paragraph on one line with single newlines between them: a line longer than any wrap width
    means the lines are paragraphs, not pieces of one."""
    if len(lines) < 2 or max(len(l) for l in lines) > 100:
        return False
    if not all(len(l) >= 40 for l in lines[:-1]):
        return False
    open_ended = sum(not re.search(r"[.!?:;\"”»)]$", l) for l in lines[:-1])
    return open_ended * 2 >= len(lines) - 1


def split_breadcrumbs(first: str, title: str) -> str | None:
    """The section named by a breadcrumb line, or None if `first` is not one."""
    crumbs = None
    if title and first != title and first.endswith(title):
        crumbs = first[: -len(title)]
    elif re.match(r"^home\s*[›»>/|]", first, re.I):
        crumbs = first
    if crumbs is None:
        return None
    parts = [p.strip() for p in re.split(r"\s*[›»>/|]\s*", crumbs) if p.strip()]
    if parts and parts[0].lower().startswith("home"):
        parts[0] = parts[0][4:].strip()
    parts = [p for p in parts if p and _key(p) != _key(title)]
    return parts[-1] if parts else ""


def _is_menu_line(line: str) -> bool:
    return len(line.split()) <= 3 and not re.search(r"[.!?:;]$", line) and len(line) <= 30


def _skip_navigation(items: list[str], page: ExtractedPage) -> int:
    """Text copied from a browser starts with the site's menu ("Skip to content", "Home", "News",
    "Comments (12)"…). A breadcrumb line followed by the headline marks where the article starts;
    without one, a run of three or more menu-like lines at the top is dropped."""
    for j in range(min(len(items) - 1, 40)):
        if re.search(r"[›»>/|]", items[j]) and split_breadcrumbs(items[j], items[j + 1]) is not None:
            page.dropped.extend(items[:j])
            return j
        if is_long(items[j]):
            break
    j = 0
    while j < len(items) and (_is_menu_line(items[j]) or DROP_RE.match(items[j]) or STOP_RE.match(items[j])):
        j += 1
    if j >= 3 and j < len(items):
        page.dropped.extend(items[:j])
        return j
    return 0


LONG_UNENDED = 40  # words after which a line without a full stop is still a paragraph
SHORT_LINE_COST = 4  # words of prose one short non-sentence line (a menu entry, a teaser) costs


PROSE_END_RE = re.compile(r"[.!?;:。！？”\"»)]$")
TEASER_END_RE = re.compile(r"(\[(?:\.\.\.|…)\]|\.\.\.|…|Read more|Lire la suite|Leer más|Weiterlesen)$", re.I)


def _line_weight(line: str) -> int:
    """A sentence-ended line counts its words; a teaser ("… [...]", "Read more") or a line that
    ends mid-air (a menu entry, a headline in a list) costs, unless it is a whole paragraph long."""
    n = count_words(line)
    if TEASER_END_RE.search(line):
        return -SHORT_LINE_COST
    if (n >= 6 and PROSE_END_RE.search(line)) or n >= LONG_UNENDED:
        return n
    return -SHORT_LINE_COST


def _prose_span(items: list[str], start: int) -> tuple[int, int] | None:
    """The article in a browser's copy of a whole page: the run of lines with the most prose in
    it, a short line inside (a subheading, a caption) costing a little, so the menus, teaser lists
    and footers around it, long runs of short lines, fall outside. None when nothing is prose."""
    best, cur, cur_start, span = 0, 0, start, None
    for k in range(start, len(items)):
        w = _line_weight(items[k])
        if cur + w < w:
            cur, cur_start = w, k
        else:
            cur += w
        if cur > best:
            best, span = cur, (cur_start, k)
    return span


def _headline_before(items: list[str], lo: int, body: int) -> int | None:
    """The headline above the article's first paragraph: the first line in the few before it with a
    headline's length (four words or more, or eight characters of an unspaced script, at most 200
    characters, no closing full stop) that is no date, byline or chrome."""
    for k in range(max(lo, body - 10), body):
        line = items[k]
        if DROP_RE.match(line) or STOP_RE.match(line) or byline_names(line) or (DATE_RE.match(line) and parse_date_text(line)):
            continue
        if len(line) <= 200 and count_words(line) >= 4 and not re.search(r"[.;:]$", line):
            return k
    return None


def extract_text(text: str) -> ExtractedPage:
    page = ExtractedPage()
    items = text_items(text)
    if not items:
        raise ImportFailed(f"{KIND}: the page has no text")
    i = _skip_navigation(items, page)
    first = items[i] if i < len(items) else ""
    second = items[i + 1] if i + 1 < len(items) else ""
    section = split_breadcrumbs(first, second)
    if section is not None:
        page.section = section
        if first.endswith(second) and second:
            page.title, i = second, i + 2
        else:
            i += 1
    headerless = False
    span = _prose_span(items, i)
    body_start, body_end = span if span else (i, len(items) - 1)
    if not page.title:
        t = _headline_before(items, i, body_start)
        if t is not None:
            page.dropped.extend(items[i:t])
            page.title, i = items[t], t + 1
    while not page.title and i < len(items):
        cand = items[i]
        if i == body_start and _line_weight(cand) > 0:
            # The copy starts with the article's prose, no headline above it: the title is its
            # opening words and the paragraph stays in the body.
            page.title = opening_words(cand)
            headerless = True
            break
        i += 1
        if DROP_RE.match(cand) or STOP_RE.match(cand):
            continue
        if len(cand) <= 200:
            page.title = cand
    body_start = max(body_start, i)
    # Header zone: everything before the first real paragraph.
    while not headerless and i < len(items) and not is_long(items[i]):
        line = items[i]
        i += 1
        if _key(line) == _key(page.title):
            page.dropped.append(line)
            continue
        names = byline_names(line)
        if names:
            page.authors = names
            date = parse_date_text(line)
            page.date = page.date or date
            continue
        date = parse_date_text(line) if DATE_RE.match(line) else ""
        if date:
            page.date = page.date or date
            continue
        if DROP_RE.match(line) or STOP_RE.match(line):
            page.dropped.append(line)
            continue
        if not page.authors and looks_like_name(line):
            page.authors = [line]
            continue
        if not page.standfirst and len(line) > 40 and re.search(r"[.!?]$", line):
            page.standfirst = line
            continue
        i -= 1  # a short first paragraph: the body starts here
        break
    # Lines between the header and the prose are chrome ("Share", "Comments (3)", a photo credit)
    # unless they read as a sentence; what follows the prose is the site's footer.
    kept = []
    for k in range(i, body_end + 1):
        if k < body_start and _line_weight(items[k]) < 0:
            page.dropped.append(items[k])
            continue
        kept.append(items[k])
    page.dropped.extend(items[body_end + 1:])
    blocks = [dm.Paragraph([dm.Text(line)]) for line in kept]
    title = page.title
    if headerless:
        page.title = ""  # the opening words are the first paragraph's, not a headline to drop from it
    page.blocks = filter_body(page, blocks)
    page.title = title
    return page


# ---- HTML -----------------------------------------------------------------------------------

CHROME_TAGS = ["nav", "header", "footer", "aside", "script", "style", "form", "noscript", "iframe",
               "button", "svg", "template", "select", "input", "textarea", "dialog"]
CHROME_CLASS_RE = re.compile(
    r"(^|[\s_-])(share|sharing|social|sociallinks|comment|comments|respond|related|newsletter|subscribe"
    r"|subscription|breadcrumbs?|byline|author|meta|entry-meta|post-meta|tags?|tag-links|cat-links"
    r"|popular|most-popular|trending|advert|advertisement|ads?|promo|sponsor|sidebar|widget|nav"
    r"|navigation|menu|footer|header|masthead|cookie|banner|pagination|post-navigation|jp-relatedposts"
    r"|sharedaddy|wp-block-latest-posts|outbrain|taboola|newsletter-signup|print|toolbar)($|[\s_-])",
    re.I,
)
BODY_CLASS_RE = re.compile(
    r"(^|\s)(entry-content|post-content|article-body|article-content|article__body|story-body|story-content"
    r"|td-post-content|content-body|post-body|article-text|single-content|the-content|body-text|rich-text)(\s|$)",
    re.I,
)
ARTICLE_TYPES = {"newsarticle", "article", "opinionnewsarticle", "blogposting", "reportagenewsarticle",
                 "analysisnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle",
                 "techarticle", "socialmediaposting", "liveblogposting"}


def _jsonld_article(doc) -> dict:
    found = []

    def visit(obj):
        if isinstance(obj, list):
            for o in obj:
                visit(o)
        elif isinstance(obj, dict):
            types = obj.get("@type", [])
            types = [types] if isinstance(types, str) else types
            if any(str(t).lower() in ARTICLE_TYPES for t in types):
                found.append(obj)
            if "@graph" in obj:
                visit(obj["@graph"])

    for script in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            visit(json.loads(script.text or ""))
        except ValueError:
            continue
    return found[0] if found else {}


def _names(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [] if value.startswith("http") else split_names(value)
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        out = []
        for v in value:
            out.extend(_names(v))
        return out
    return []


def _meta(doc) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in doc.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = _clean(m.get("content") or "")
        if key and content:
            out.setdefault(key, []).append(content)
    return out


def _classes(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _prose_length(el) -> int:
    return sum(len(p.text_content()) for p in el.iter("p") if len(p.text_content()) > 80)


def _strip_title_suffix(title: str, site: str = "") -> str:
    if site and title.endswith(site):
        title = title[: -len(site)].rstrip(" |-–—:·")
    return re.sub(r"\s+[|–—-]\s+[^|–—-]{2,40}$", "", title) if " | " in title or " – " in title else title


def _with_kicker(headline: str, head_title: str) -> str:
    """The page's <title> is the headline behind a kicker naming who or what ("Alito and Prelogar:
    The nonstop sparring match…" over a visible "The nonstop sparring match…"): the title is the
    fuller one. A one-word label ("Analysis:", "Opinion:", "Video:") is a genre, not part of the
    headline, so it is left off."""
    if not headline or not head_title:
        return headline
    kicker, sep, rest = head_title.partition(": ")
    if sep and _key(rest) == _key(headline) and 2 <= len(kicker.split()) <= 6:
        return f"{kicker}: {headline}"
    return headline


INLINE_TAGS = {"a", "span", "em", "strong", "b", "i", "u", "small", "abbr", "cite", "code", "sup", "sub", "mark",
               "time", "q", "s", "del", "ins", "kbd", "var", "dfn", "bdi", "bdo", "font", "br", "img"}
PULL_QUOTE_RE = re.compile(r"(^|[\s_-])(pull-?quote|pullquote|pq|blockquote-pull|inline-quote)($|[\s_-])", re.I)
# Containers the one HTML reader walks through as <div>; it knows the HTML block elements only.
_AS_DIV = {"main", "address", "center", "details", "summary", "hgroup", "nav", "picture", "span-block"}


def _body_container(doc):
    hits = [el for el in doc.xpath('//*[@itemprop="articleBody"]')]
    if not hits:
        hits = [el for el in doc.iter() if isinstance(el.tag, str) and BODY_CLASS_RE.search(el.get("class") or "")]
    # Outermost first; drop containers nested in another candidate.
    hits = [h for h in hits if not any(a in hits for a in h.iterancestors())]
    prose = [h for h in hits if len(_clean(h.text_content())) >= 200]
    if not prose:
        return None
    if len(prose) > 1 and len({p.getparent() for p in prose}) == 1:
        # An article body split in two or more parts under one parent: read them together.
        joined = lxml.html.Element("div")
        for p in prose:
            copy = lxml.html.fromstring(lxml.html.tostring(p))
            copy.tail = None
            joined.append(copy)
        return joined
    return max(prose, key=lambda h: len(_clean(h.text_content())))


def _mark_pull_quotes(container) -> list[str]:
    """A pull quote set in an <aside> or a classed <div> is article text; as a <blockquote
    class="pullquote"> it survives the chrome cut and the HTML reader makes it a pull quote.
    Returns the quotes' texts."""
    quotes = []
    for el in list(container.iter()):
        if isinstance(el.tag, str) and el.tag in ("aside", "div", "p", "figure", "blockquote") \
                and PULL_QUOTE_RE.search(el.get("class") or ""):
            el.tag = "blockquote"
            el.set("class", "pullquote")
            quotes.append(_clean(el.text_content()))
    return quotes


def _prepare(container) -> None:
    for el in list(container.iter("script", "style", "noscript", "template", "svg", "canvas", "object", "embed",
                                   "link", "meta", "button", "input", "select", "textarea", "form", "iframe",
                                   "video", "audio")):
        if el is not container and el.getparent() is not None:
            el.drop_tree()
    for el in container.iter():
        if isinstance(el.tag, str) and el.tag in _AS_DIV:
            el.tag = "div"
        elif isinstance(el.tag, str) and el.tag == "figcaption" and el.getparent() is not None \
                and el.getparent().tag != "figure":
            el.tag = "p"
        elif isinstance(el.tag, str) and el.tag == "pre":
            for code in el.iter("code"):  # <pre><code> is one code block, not inline code
                code.drop_tag()


def read_blocks(container, resolve_image, missing, warn, notes: dict | None = None, *,
                captions: dict | None = None, label_notes: bool = False) -> list:
    """HTML → blocks through the one HTML reader; images only from files beside the page;
    links to the page's footnotes (or, from trafilatura's output, "[^id]" markers) become note
    references; `captions` gives an image its figure's caption by src when the HTML lost it."""
    _prepare(container)

    def note_ref(a):
        if notes is None:
            return None
        href = a.get("href") or ""
        if re.match(r"^#(fnref|footnote-ref|ref)", href, re.I) or "backref" in (a.get("class") or "") \
                or a.get("role") == "doc-backlink":
            return False
        if href.startswith("#") and href[1:] in notes:
            return dm.NoteRef(href[1:])
        return None

    def image(img):
        src = (img.get("src") or img.get("data-src") or "").strip()
        alt = _clean(img.get("alt") or "")
        if not src:
            return None
        path = resolve_image(src, alt) if resolve_image else None
        if path is None:
            missing(src)
            return None
        return dm.Image(Path(path), alt=alt, caption=(captions or {}).get(src, ""))

    ctx = html_reader.HtmlContext(lambda m: None, image=image, note_ref=note_ref, label_notes=label_notes)
    found = html_reader.blocks(container, ctx)
    if label_notes and notes is not None:
        _drop_unknown_note_refs(found, notes)
    return found


def _drop_unknown_note_refs(blocks: list, notes: dict) -> None:
    """A "[^x]" the page itself wrote (not one of our markers) stays text, not a dangling reference."""
    for b in blocks:
        kids = getattr(b, "children", None)
        if isinstance(kids, list):
            for i, n in enumerate(kids):
                if isinstance(n, dm.NoteRef) and n.note_id not in notes:
                    kids[i] = dm.Text(f"[^{n.note_id}]")


def _figure_captions(doc) -> dict:
    """src → caption of every <figure> with one image: trafilatura keeps the image, not its caption."""
    out = {}
    for fig in doc.iter("figure"):
        imgs = fig.findall(".//img")
        cap = fig.find(".//figcaption")
        if len(imgs) == 1 and cap is not None:
            src = (imgs[0].get("src") or imgs[0].get("data-src") or "").strip()
            text = _clean(cap.text_content())
            if src and text:
                out[src] = text
    return out


def _trafilatura_input(doc, notes: dict) -> str:
    """The page as trafilatura should read it: footnote list already taken out (so its text is not
    read as body) and each reference to a note written as a "[^id]" marker, which survives the
    library's cleaning as text and becomes a note reference again in read_blocks."""
    copy = lxml.html.fromstring(lxml.html.tostring(doc, encoding="unicode"))
    for a in list(copy.iter("a")):
        href = a.get("href") or ""
        if not (href.startswith("#") and href[1:] in notes) or a.getparent() is None:
            continue
        target = a
        parent = a.getparent()
        if parent.tag == "sup" and len(parent) == 1 and not (parent.text or "").strip():
            target = parent
        marker = f"[^{href[1:]}]"
        prev = target.getprevious()
        holder = target.getparent()
        tail = target.tail or ""
        if prev is not None:
            prev.tail = (prev.tail or "") + marker + tail
        else:
            holder.text = (holder.text or "") + marker + tail
        holder.remove(target)
    return lxml.html.tostring(copy, encoding="unicode")


def _restore_pull_quotes(blocks: list, quotes: list[str]) -> list:
    """trafilatura reads a pull quote as an ordinary quotation; the page marked it as a pull quote."""
    keys = {_key(q) for q in quotes}
    out = []
    for b in blocks:
        if isinstance(b, dm.BlockQuote) and keys:
            text = _clean(" ".join(dm.plain_text(x.children) for x in b.blocks if hasattr(x, "children")))
            if _key(text) in keys:
                out.append(dm.PullQuote(text))
                continue
        out.append(b)
    return out


def _take_footnotes(doc, resolve_image, missing, warn) -> dict:
    """The page's footnote list (<ol> in a "footnotes" block or doc-endnotes section), read into
    notes and removed from the body, so the references in the text point at real notes."""
    lists = doc.xpath('//*[contains(@class, "footnotes") or @role="doc-endnotes"]//ol'
                      ' | //ol[contains(@class, "footnotes")]')
    notes: dict = {}
    for ol in lists:
        if ol.getparent() is None:
            continue
        for li in ol.iter("li"):
            if li.get("id"):
                notes[li.get("id")] = None
        for li in ol.iter("li"):
            if li.get("id"):
                notes[li.get("id")] = read_blocks(li, resolve_image, missing, warn, notes)
        holder = ol
        parent = ol.getparent()
        if parent is not None and re.search(r"footnotes|endnotes", f"{parent.get('class') or ''} {parent.get('role') or ''}"):
            holder = parent
        holder.drop_tree()
    return {k: v for k, v in notes.items() if v}


def _trafilatura_blocks(text: str, resolve_image, missing, warn, notes: dict | None = None,
                        captions: dict | None = None) -> list:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a dependency; say so rather than fail
        warn("trafilatura is not installed; the page's own structure was used alone")
        return []
    try:
        body = trafilatura.extract(text, output_format="html", include_comments=False, include_images=True,
                                   include_tables=True, include_formatting=True, include_links=True,
                                   favor_recall=True, deduplicate=False)
    except Exception:  # noqa: BLE001 - an extraction library failing is a missing second opinion
        return []
    if not body:
        return []
    root = lxml.html.fromstring(body)
    inner = root.find("body") if root.find("body") is not None else root
    return read_blocks(inner, resolve_image, missing, warn, notes if notes else None, captions=captions,
                       label_notes=bool(notes))


def extract_html(text: str, resolve_image=None) -> ExtractedPage:
    page = ExtractedPage()
    try:
        doc = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError on documents with no elements
        raise ImportFailed(f"{KIND}: the HTML could not be parsed: {exc}") from exc
    meta = _meta(doc)
    ld = _jsonld_article(doc)
    first = lambda k: (meta.get(k) or [""])[0]  # noqa: E731

    # Where the article is: the most specific container we can recognise that holds prose (an
    # empty "entry-content" or a 56-character teaser is not the article). Sibling containers of the
    # same kind (an article body split around an advert) are read together.
    container = _body_container(doc)
    explicit = container is not None
    article = (doc.xpath("//article") or doc.xpath("//main") or doc.xpath('//*[@role="main"]') or [None])[0]

    # Headline.
    h1_scope = article if article is not None else doc
    h1s = h1_scope.xpath(".//h1") or doc.xpath("//h1")
    h1 = _clean(h1s[0].text_content()) if h1s else ""
    site_name = first("og:site_name")
    # The site's logo or greeting is often the page's only <h1> ("Hi, I'm Nicolas.") with the
    # article's own headline an <h2> or an itemprop="headline"/"name": the headline is the candidate
    # the page's <title> (or og:title) starts with.
    doc_title = _clean(doc.findtext(".//title") or "")
    head_title = _key(first("og:title") or doc_title)
    if head_title and h1 and not head_title.startswith(_key(h1)):
        # The article element may hold only the body, the headline sitting above it in the page.
        scopes = [article, doc] if article is not None else [doc]
        found = None
        for scope in scopes:
            for el in scope.xpath('.//*[@itemprop="headline" or @itemprop="name"] | .//h1 | .//h2'):
                cand = _clean(el.text_content())
                if cand and len(cand) <= 300 and len(_key(cand)) >= 8 and head_title.startswith(_key(cand)):
                    found = cand
                    break
            if found:
                h1 = found
                break
    head_titles = [_strip_title_suffix(first(k), site_name) for k in ("og:title", "twitter:title")]
    head_titles.append(re.split(r"\s+[|»·–—]\s+", doc_title)[0])
    for cand in head_titles:
        if h1 and cand and _key(h1) != _key(cand) and _key(h1).startswith(_key(cand)) \
                and len(cand) >= 0.6 * len(h1):
            # A logo or kicker inside the <h1> ("…la InfantaUltima Hora Mallorca"): the page's
            # head names the headline without it.
            h1 = cand
            break
    page.title = _clean(
        (ld.get("headline") if isinstance(ld.get("headline"), str) else "")
        or h1
        or _strip_title_suffix(first("og:title"), site_name)
        or _strip_title_suffix(doc_title, site_name)
    )
    if h1 and page.title != h1 and _key(page.title).startswith(_key(h1)):
        page.title = h1
    page.title = _with_kicker(page.title, _strip_title_suffix(doc_title, site_name))

    # Authors.
    page.authors = _names(ld.get("author"))
    if not page.authors:
        page.authors = [n for v in meta.get("author", []) for n in _names(v)]
    if not page.authors:
        page.authors = [n for v in meta.get("article:author", []) for n in _names(v)]
    if not page.authors:
        # article:author as the author's page ("…/auteur/2005-afp"): the page's link to it names them.
        for url in meta.get("article:author", []):
            if url.startswith("http"):
                links = [_clean(a.text_content()) for a in doc.xpath("//a[@href=$u]", u=url)]
                page.authors += [n for n in dict.fromkeys(links) if n and len(n) < 80][:1]
    if not page.authors:
        # Dublin Core, as IETF drafts and many journals write it: "Jong, Michiel de".
        # A creator that is the site itself (heise's "Mac & i") names no author.
        page.authors = [dc_name(v) for v in meta.get("dc.creator", [])
                        if dc_name(v) and _key(v) not in {_key(site_name), _key(first("application-name"))}]
    if not page.authors:
        seen = []
        for el in doc.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]'
                            ' | //*[@itemprop="author"]'):
            name_el = el.xpath('.//*[@itemprop="name"]')
            name = _clean(name_el[0].text_content() if name_el else el.text_content())
            name = BYLINE_RE.sub(r"\1", name)
            # Only a "(with …)" tail splits the element: "Brenda Goodman, MA" is one author.
            for one in (split_names(name) if HELPERS_RE.search(name) else [name]):
                if one and one not in seen and len(one) < 80:
                    seen.append(one)
        page.authors = seen
    if not page.authors:
        for el in doc.iter():
            if isinstance(el.tag, str) and re.search(r"(^|[\s_-])(byline|author-name|by-author|entry-author|post-author)($|[\s_-])", el.get("class") or "", re.I):
                txt = _clean(el.text_content())
                m = BYLINE_RE.match(txt)
                txt = m.group(1) if m else txt
                if txt and len(txt) < 120:
                    page.authors = split_names(txt)
                    break

    # Author bio boxes are chrome for the body but carry the role line.
    for el in doc.iter():
        if isinstance(el.tag, str) and re.search(r"(author-bio|about-author|author-description|author-info|author__bio|bio-box)", _classes(el), re.I):
            bio = _clean(el.text_content())
            if bio:
                page.author_bio = bio[:1000]
                page.role_line = role_line_from_bio(bio)
                page.roles = roles_from_bio(bio, page.authors)
                if len(page.authors) == 1 and not page.role_line:
                    page.role_line = page.roles.get(page.authors[0], "")
                break

    # Section.
    section = ld.get("articleSection") or first("article:section")
    if isinstance(section, list):
        section = section[0] if section else ""
    if not section:
        crumbs = doc.xpath('//*[contains(@class, "breadcrumb")]//a | //*[contains(@class, "breadcrumb")]//li'
                           ' | //*[@itemtype="https://schema.org/BreadcrumbList" or @itemtype="http://schema.org/BreadcrumbList"]//*[@itemprop="name"]')
        def is_home(c):
            a = c if c.tag == "a" else c.find(".//a")
            href = (a.get("href") or "").strip() if a is not None else None
            return href is not None and bool(re.fullmatch(r"(https?://[^/]+)?/?(index\.\w+)?|\.?/", href))

        names = [_clean(c.text_content()) for c in crumbs if not is_home(c)]
        names = [n for n in names if n and n.lower() != "home" and _key(n) != _key(page.title)]
        if names:
            section = names[-1] if len(names) == 1 else names[0]
    if not section:
        cats = doc.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " category ")]')
        if cats:
            section = _clean(cats[0].text_content())
    page.section = _clean(str(section or ""))

    # Date, tags, standfirst.
    page.date = parse_date_text(str(ld.get("datePublished") or first("article:published_time") or "")) or ""
    if not page.date:
        times = doc.xpath("//time[@datetime]")
        if times:
            page.date = parse_date_text(times[0].get("datetime"))
    tags = list(meta.get("article:tag", []))
    kw = ld.get("keywords")
    if not tags and kw:
        tags = [t.strip() for t in (kw.split(",") if isinstance(kw, str) else kw) if str(t).strip()]
    if not tags:
        tags = [_clean(a.text_content()) for a in doc.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " tag ")]')]
    page.tags = list(dict.fromkeys(t for t in tags if t and len(t) < 100))
    dek = doc.xpath('//*[contains(@class, "standfirst") or contains(@class, "dek") or contains(@class, "subtitle") or contains(@class, "excerpt") or contains(@class, "summary")]')
    if dek:
        page.standfirst = _clean(dek[0].text_content())[:500]

    # Cut the chrome out, then read the container.
    if container is None:
        container = article if article is not None else doc.find("body")
    if container is None:
        container = doc
    note_images: list = []
    page.notes = _take_footnotes(container, resolve_image, note_images.append, page.warnings.append)
    page.notes.update(_take_footnotes(doc, resolve_image, note_images.append, page.warnings.append))
    pull_quotes = _mark_pull_quotes(container) + _mark_pull_quotes(doc)
    captions = _figure_captions(doc)
    captions.update(_figure_captions(container))
    traf_input = _trafilatura_input(doc, page.notes) if page.notes else text
    for el in list(container.iter(*CHROME_TAGS)):
        if el is not container:
            el.drop_tree()
    total = _prose_length(container) or 1
    for el in list(container.iter()):
        if el is container or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        # Inline elements are words of the sentence ("sale to <a class="meta-org">Verizon</a>"):
        # a chrome-looking class on them never removes the text.
        if el.tag in INLINE_TAGS:
            continue
        if CHROME_CLASS_RE.search(_classes(el)) and el.tag not in ("p", "blockquote", "table", "li", "figure", "pre") \
                and not BODY_CLASS_RE.search(el.get("class") or ""):
            # A wrapper named "has-sidebar" or "post-header-wrap" may hold the article itself:
            # chrome never carries most of the page's prose.
            if _prose_length(el) > 0.6 * total:
                continue
            el.drop_tree()
    for el in list(container.iter("h1")):
        el.drop_tree()
    skipped_images = []
    blocks = read_blocks(container, resolve_image, skipped_images.append, page.warnings.append, page.notes)
    traf = _restore_pull_quotes(
        _trafilatura_blocks(traf_input, resolve_image, skipped_images.append, page.warnings.append,
                            page.notes, captions), pull_quotes)
    whole_page = container is doc or container.tag == "body"
    if traf and _words(traf) >= 40 and (
            _words(traf) > 2 * max(_words(blocks), 1)  # the structural container missed most of it
            # No container: the library's body when it keeps the prose and leaves out more chrome.
            or (not explicit and _prose_words(traf) >= 0.9 * _prose_words(blocks)
                and _chrome_lines(traf) < _chrome_lines(blocks))
            # Nothing on the page says where the article is (no article, main or body class), so
            # the structural read is the whole page, menus and teasers too: the library's body,
            # unless it lost most of the prose.
            or (whole_page and _prose_words(traf) >= 0.6 * _prose_words(blocks)
                and _chrome_lines(traf) <= _chrome_lines(blocks))):
        blocks = traf
    skipped_images = sorted(set(skipped_images))
    if skipped_images:
        page.warnings.append(
            f"{len(skipped_images)} image(s) in the page were left out: only files saved next to the page "
            "are imported, nothing is downloaded"
        )
    for b in blocks:
        # Themes often caption the lead image with the headline; that is not a caption.
        if isinstance(b, dm.Image) and _key(b.caption) == _key(page.title):
            b.caption = ""
    page.blocks = filter_body(page, blocks)
    if page.standfirst and page.blocks and isinstance(page.blocks[0], dm.Paragraph) and \
            _key(dm.plain_text(page.blocks[0].children)).startswith(_key(page.standfirst)[:60]):
        page.standfirst = ""
    return page


def opening_words(text: str, limit: int = 80) -> str:
    """The first sentence, cut at a word boundary within `limit` characters."""
    first = re.split(r"(?<=[.!?。！？])\s", _clean(text), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0] if " " in first[:limit] else first[:limit]
    return cut.rstrip(" ,;:") + "…"


def looks_like_html(text: str, path: Path) -> bool:
    if path.suffix.lower() in (".html", ".htm", ".xhtml", ".shtml"):
        return True
    head = text[:2000].lower()
    return bool(re.search(r"<(!doctype html|html|head|body|article|main)\b", head)) or \
        (head.count("<p") >= 2 and head.count("</p>") >= 1)


def local_image_resolver(base_dir: Path):
    """A browser's "save page, complete" puts images in a folder beside the HTML; those are used.
    Remote URLs are never fetched, and no path may leave the page's folder."""
    base = Path(base_dir).resolve()

    def resolve(src: str, alt: str = ""):
        try:
            parsed = urlparse(src or "")
        except ValueError:  # "http://[bad": not an address at all, so nothing to find
            return None
        if parsed.scheme not in ("", "file") or parsed.netloc:
            return None
        try:
            candidate = (base / unquote(parsed.path)).resolve()
        except (OSError, ValueError):
            return None
        if candidate.is_file() and base in candidate.parents:
            return candidate
        return None

    return resolve


def extract(path: Path, warn) -> ExtractedPage:
    path = Path(path)
    data = read_bytes(path, KIND)
    probe = data[:2000].decode("latin-1").lower()
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml", ".shtml") or "<html" in probe or "<body" in probe or "<!doctype html" in probe
    text = decode_text(data, path.name, KIND, warn, html=is_html)
    if not text.strip():
        raise ImportFailed(f"{KIND}: '{path.name}' is empty")
    page = extract_html(text, local_image_resolver(path.parent)) if looks_like_html(text, path) else extract_text(text)
    for w in page.warnings:
        warn(f"{KIND}: {w}")
    if not page.title and page.paragraphs():
        # A page with an article but no headline anywhere (no h1, og:title or <title>): importing it
        # under its opening words, said in a warning, beats refusing the article.
        page.title = opening_words(page.paragraphs()[0])
        warn(f"{KIND}: '{path.name}' has no headline (no h1, og:title or <title>); the title is the "
             f"article's opening words, \"{page.title}\": change it before publishing")
    if not page.title:
        raise ImportFailed(f"{KIND}: '{path.name}' has no headline (no h1, og:title or first line to use)")
    if not page.paragraphs():
        raise ImportFailed(f"{KIND}: '{path.name}' has no article text after the headline")
    return page


def import_page(path: Path, session: ImportSession, *, section: str = "", is_sample: bool = False, home=None):
    from .to_wagtail import save_document

    extracted = extract(path, session.warn)
    if section:
        extracted.section = section
    page, created = save_document(
        extracted.to_document(), session, section_name=extracted.section, source="page",
        key=f"{(extracted.section or '').lower()}/{_key(extracted.title)}", is_sample=is_sample, home=home, kind=KIND,
    )
    return extracted, page, created

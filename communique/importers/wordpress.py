"""`communique import wordpress FILE.xml[.gz]`: a WordPress WXR export (WXR 1.0–1.2, the http and
https namespaces WordPress and WordPress.com write).

Parsed with lxml with entity resolution, network access and huge trees off; a document that
declares entities is refused outright (an entity bomb needs declarations). Every <item> gets an
outcome the summary counts by type: imported, merged (an earlier import of the same post, found by
the export's site and post id, is updated), or skipped with the reason. Posts become ArticlePages in
the section of their category (other categories become tags), pages become ContentPages under home
or under their wp:post_parent page (the site's tree kept; their tags and categories as tags); publish → live, future → scheduled, draft/pending → draft, private and
password-protected → draft behind a view restriction (never public). Featured images, galleries and
inline images are read from the export's folder or an uploads tree, never fetched.

The import is one transaction, but each item runs in its own savepoint: an item that fails is
rolled back alone (with the image files it wrote) and reported; `strict=True` makes any such
failure abort the whole import."""
from __future__ import annotations

import copy
import html as htmllib
import json
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.db import transaction
from django.utils.text import slugify
from lxml import etree

from communique.documents import model as dm
from communique.documents.readers import html as html_reader

from .base import ImportFailed, ImportSession, read_bytes
from .to_wagtail import Embed

KIND = "wordpress"
NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS_DC = "http://purl.org/dc/elements/1.1/"
# WordPress writes http://wordpress.org/export/1.0/ … /1.2/; WordPress.com and current exports
# (the Theme Unit Test data) write https://. Anything else claiming the wp: prefix is not WordPress.
WP_NS = re.compile(r"^https?://(?:www\.)?wordpress\.org/export/1\.\d+/?$")
WP_EXCERPT_NS = re.compile(r"^https?://(?:www\.)?wordpress\.org/export/1\.\d+/excerpt/?$")
MAX_UNCOMPRESSED = 512 * 1024 * 1024
HARMLESS_XML_FAULTS = {"ERR_MISPLACED_CDATA_END", "WAR_NS_URI", "WAR_NS_URI_RELATIVE"}
# Characters that reorder or hide text: never part of a slug, and stripped from titles (an
# unbalanced right-to-left override garbles every title listed after it).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
DYNAMIC_BLOCKS = {"latest-posts", "latest-comments", "archives", "calendar", "categories", "tag-cloud", "search",
                  "rss", "page-list", "query", "navigation", "loginout", "social-links", "shortcode", "more",
                  "nextpage", "spacer"}
NOT_CONTENT_TYPES = {
    "nav_menu_item": "a navigation menu entry; Communiqué builds navigation from its sections",
    "revision": "a revision; the export's current version is imported",
    "custom_css": "theme CSS, not content",
    "customize_changeset": "theme settings, not content",
    "oembed_cache": "a cache entry, not content",
    "wp_global_styles": "theme styles, not content",
    "wp_template": "a theme template, not content",
    "wp_template_part": "a theme template, not content",
    "wp_navigation": "a navigation menu; Communiqué builds navigation from its sections",
    "wp_font_family": "a theme font, not content",
    "wp_font_face": "a theme font, not content",
    "user_request": "a privacy request, not content",
}


# ---- reading the export ------------------------------------------------------------------------


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _ns(el) -> str:
    return (etree.QName(el).namespace or "") if isinstance(el.tag, str) else ""


def _is_wp(el) -> bool:
    return bool(WP_NS.match(_ns(el)))


def _child(el, name: str, ns: str | re.Pattern | None = None):
    for c in el:
        if _local(c) != name:
            continue
        if ns is None or (ns.match(_ns(c)) if isinstance(ns, re.Pattern) else _ns(c) == ns):
            return c
    return None


def _text(el, name: str, ns=None) -> str:
    c = _child(el, name, ns)
    return (c.text or "").strip() if c is not None else ""


def _wp(el, name: str) -> str:
    return _text(el, name, WP_NS)


def _wp_all(el, name: str):
    return [c for c in el if _local(c) == name and _is_wp(c)]


def load_export(path: Path) -> bytes:
    """The export's bytes; `.xml.gz` (how WordPress.com and many backups ship it) is unpacked with
    a size cap so a gzip bomb cannot fill memory."""
    data = read_bytes(path, KIND)
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, MAX_UNCOMPRESSED + 1)
    except zlib.error as exc:
        raise ImportFailed(f"{KIND}: '{path.name}' is a damaged gzip file: {exc}") from exc
    if len(out) > MAX_UNCOMPRESSED or d.unconsumed_tail:
        raise ImportFailed(f"{KIND}: '{path.name}' unpacks to more than {MAX_UNCOMPRESSED // 2**20} MB; refusing it")
    if not out.strip():
        raise ImportFailed(f"{KIND}: '{path.name}' is empty once unpacked")
    return out


def parse_wxr(path: Path, warn=None):
    path = Path(path)
    data = load_export(path)
    # Entity declarations have no business in a WXR file and are how entity bombs work.
    # Only the prolog can declare entities; "<!ENTITY" inside a post's text is just text.
    root_start = re.search(rb"<[A-Za-z_]", data)
    head = data[: root_start.start()] if root_start else data[:65536]
    if re.search(rb"<!ENTITY", head, re.I):
        line = data[: head.upper().find(b"<!ENTITY")].count(b"\n") + 1
        raise ImportFailed(
            f"{KIND}: '{path.name}' declares XML entities (line {line}); refusing it, "
            "as entity expansion is how 'billion laughs' attacks work — a WordPress export never needs them"
        )
    if b"<!DOCTYPE" in head.upper() and b"[" in head[head.upper().find(b"<!DOCTYPE"):][:2000]:
        raise ImportFailed(f"{KIND}: '{path.name}' has an internal DTD; refusing it (a WordPress export has none)")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False, recover=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        total = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        msg = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
        truncated = "premature end" in msg.lower() or "end of data" in msg.lower() or \
            "extra content" not in msg.lower() and line >= total
        low = msg.lower()
        if "not proper utf-8" in low or "invalid bytes in character encoding" in low or "encoding error" in low:
            declared = re.search(rb'encoding=["\']([\w.-]+)', data[:200])
            tried = declared.group(1).decode("ascii") if declared else "UTF-8"
            raise ImportFailed(
                f"{KIND}: the export is not valid {tried} at line {line} (tried the encoding its XML header "
                f"declares, {tried}); re-export it or fix the encoding declaration: {msg}"
            ) from exc
        if truncated:
            raise ImportFailed(f"{KIND}: the export is truncated at line {line}: {msg}") from exc
        root = _recover(data, line, msg, warn)
        if root is None:
            raise ImportFailed(f"{KIND}: the export is not well-formed XML at line {line}: {msg}") from exc
    if _local(root) != "rss" or _child(root, "channel") is None:
        raise ImportFailed(f"{KIND}: '{path.name}' is not a WordPress export (no <rss><channel>)")
    channel = _child(root, "channel")
    if not any(_is_wp(c) for c in channel.iter() if isinstance(c.tag, str)):
        raise ImportFailed(
            f"{KIND}: '{path.name}' is an RSS feed, not a WordPress export (no elements in the "
            "http(s)://wordpress.org/export/ namespace)"
        )
    return channel


def _recover(data: bytes, line: int, msg: str, warn):
    """WordPress falls back to a lenient parser when an export is not quite XML (a "]]>" inside a
    CDATA section, a namespace URI with accents). Do the same with libxml2's recovery mode, but
    only for those two harmless faults, and only when it finds every <item> the raw text has: a
    mismatched tag or an unclosed CDATA section swallows posts, so that is refused."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    if any(e.type_name not in HARMLESS_XML_FAULTS for e in parser.error_log):
        return None
    if root is None or _local(root) != "rss" or _child(root, "channel") is None:
        return None
    raw_items = len(re.findall(rb"<item[\s>]", data))
    if len([i for i in _child(root, "channel") if _local(i) == "item"]) != raw_items:
        return None
    if warn:
        warn(f"{KIND}: the export is not well-formed XML at line {line} ({msg}); read leniently as WordPress "
             f"does — all {raw_items} item(s) were found, but check the posts near that line")
    return root


# ---- text clean-up -------------------------------------------------------------------------------


def clean_title(raw: str) -> str:
    text = htmllib.unescape(raw or "")
    text = BIDI_CONTROLS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_slug(raw: str, fallback: str = "") -> str:
    """WordPress stores non-Latin slugs percent-encoded (every Urdu or Arabic slug); Wagtail wants
    the letters. Decode, drop invisible and bidi control characters, keep letters of any script."""
    for candidate in (raw or "", fallback or ""):
        text = unquote(candidate, errors="replace")
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc", "Co", "Cs"))
        text = unicodedata.normalize("NFKC", text).replace("\ufffd", "")
        slug = slugify(text, allow_unicode=True).strip("-_")
        if slug:
            return slug[:200]
    return ""


def parse_wp_date(value: str) -> tuple[str, str]:
    """(ISO date or "", problem or ""). WordPress writes 0000-00-00 00:00:00 for "no date"."""
    from datetime import datetime

    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return "", ""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value[:19], fmt).isoformat(), ""
        except ValueError:
            continue
    return "", f"invalid date '{value[:40]}'"


# ---- WordPress content → blocks --------------------------------------------------------------


_SHORTCODE_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")


def _attrs(s: str) -> dict:
    return {m.group(1).lower(): htmllib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _SHORTCODE_ATTR.finditer(s or "")}


def _esc(s: str) -> str:
    return htmllib.escape(s or "", quote=True)


@dataclass
class ContentContext:
    where: str
    warn: object
    attachments: dict
    post_id: str
    reported: set = field(default_factory=set)

    def report(self, message: str) -> None:
        if message not in self.reported:
            self.reported.add(message)
            self.warn(message)


def expand_shortcodes(content: str, ctx: ContentContext) -> str:
    """Gutenberg block comments and the shortcodes WordPress ships (caption, gallery, embed, audio,
    video) become plain HTML the block mapping understands; any other shortcode is reported by name
    and its inner text kept."""
    dynamic = sorted({m.group(1) for m in re.finditer(r"<!--\s*wp:([a-z0-9/-]+)", content)
                      if m.group(1).split("/")[-1] in DYNAMIC_BLOCKS})
    shown = [d for d in dynamic if d not in ("more", "nextpage", "spacer")]
    if shown:
        ctx.report(f"dynamic blocks left out (they list other content): {', '.join('wp:' + d for d in shown)}")
    content = re.sub(r"<!--.*?-->", "", content, flags=re.S)  # Gutenberg block comments and others

    def caption(m):
        attrs, inner = _attrs(m.group(1)), m.group(2)
        img = re.search(r"<img\b[^>]*>", inner, re.I)
        if not img:
            return inner
        link = re.search(r"<a\b[^>]*>\s*" + re.escape(img.group(0)) + r"\s*</a>", inner, re.I)
        text = inner.replace(link.group(0) if link else img.group(0), "", 1).strip()
        text = text or _esc(attrs.get("caption", ""))
        return f"<figure>{img.group(0)}<figcaption>{text}</figcaption></figure>"

    content = re.sub(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", caption, content, flags=re.S | re.I)

    def gallery(m):
        attrs = _attrs(m.group(1))
        ids = [i.strip() for i in attrs.get("ids", "").split(",") if i.strip()]
        if not ids:  # [gallery] alone shows the images attached to the post
            ids = [aid for aid, a in ctx.attachments.items() if a["parent"] == ctx.post_id]
        figures = []
        for aid in ids:
            a = ctx.attachments.get(aid)
            if not a:
                ctx.report(f"gallery image (attachment {aid}) is not in the export")
                continue
            figures.append(f'<figure><img src="{_esc(a["url"])}" alt="{_esc(a["alt"])}"/>'
                           f'<figcaption>{_esc(a["caption"])}</figcaption></figure>')
        if not figures:
            ctx.report("[gallery] has no images in the export; left out")
        return "<div>" + "".join(figures) + "</div>"

    content = re.sub(r"\[gallery\b([^\]]*)\]", gallery, content, flags=re.I)
    content = re.sub(r"\[embed\b[^\]]*\](.*?)\[/embed\]",
                     lambda m: f'<figure class="wp-block-embed"><div>{m.group(1).strip()}</div></figure>',
                     content, flags=re.S | re.I)

    def media(m):
        kind, attrs = m.group(1).lower(), _attrs(m.group(2))
        src = attrs.get("src") or next((attrs[k] for k in ("mp4", "m4v", "webm", "ogv", "mp3", "ogg", "wav", "m4a")
                                        if attrs.get(k)), "")
        return f'<{kind} src="{_esc(src)}"></{kind}>'

    content = re.sub(r"\[(audio|video)\b([^\]]*)\](?:\s*\[/\1\])?", media, content, flags=re.I)
    # An oEmbed URL alone on a line is how the classic editor embeds a video or a tweet.
    content = re.sub(r"(?m)^\s*(https?://(?:www\.)?(?:youtube\.com|youtu\.be|vimeo\.com|twitter\.com|x\.com|"
                     r"instagram\.com|soundcloud\.com|flickr\.com|wordpress\.tv|facebook\.com)/\S+)\s*$",
                     lambda m: f'<figure class="wp-block-embed"><div>{m.group(1)}</div></figure>', content)
    leftovers = sorted({m.group(1).lower() for m in re.finditer(r"\[/?([a-z_][\w-]*)(?:\s[^\]]*)?\]", content, re.I)
                        if not re.fullmatch(r"\d+|x|[a-z]", m.group(1), re.I)})
    # Only names used as [name] … [/name] or with attributes are shortcodes; "[sic]" is text.
    real = [s for s in leftovers if re.search(r"\[/" + re.escape(s) + r"\]|\[" + re.escape(s) + r"\s+\w+=", content, re.I)
            or s in {"playlist", "contact-form-7", "contact-form", "button", "vc_row", "vc_column", "vc_column_text",
                     "et_pb_section", "et_pb_text", "wpforms", "recent-posts", "googlemaps", "youtube", "tweet"}]
    if real:
        ctx.report(f"shortcodes removed (their text kept): {', '.join('[' + s + ']' for s in real)}")
        content = re.sub(r"\[/?(?:" + "|".join(map(re.escape, real)) + r")\b[^\]]*\]", "", content, flags=re.I)
    return content


_BLOCK_START = re.compile(r"<(h[1-6]|ul|ol|table|blockquote|figure|div|pre|hr|p|audio|video|iframe|dl|section)\b", re.I)


def autop(content: str) -> str:
    """WordPress stores classic-editor posts without <p>: blank lines separate paragraphs
    (wpautop). Chunks that already start with a block element are left alone."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", content.replace("\r\n", "\n")) if p.strip()]
    out = []
    for p in parts:
        if _BLOCK_START.match(p):
            out.append(p)
        else:
            out.append("<p>" + p.replace("\n", "<br/>") + "</p>")
    return "\n".join(out)


def _classes(el) -> set:
    return set((el.get("class") or "").split())


def _embed_from(el, provider: str = "") -> Embed | None:
    src = el.get("src") or ""
    if not src:
        source = el.find(".//source")
        src = source.get("src", "") if source is not None else ""
    if not src:  # a Gutenberg embed: the URL is the wrapper's text, the caption is separate
        bare = copy.deepcopy(el)
        for cap_el in list(bare.iter("figcaption")):
            cap_el.drop_tree()
        link = bare.find(".//a[@href]")
        m = re.search(r"https?://\S+", bare.text_content())
        src = m.group(0) if m else (link.get("href") if link is not None else "")
    try:
        parsed = urlparse(src)
    except ValueError:
        return None
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return None
    cap = el.find(".//figcaption")
    caption = re.sub(r"\s+", " ", cap.text_content()).strip() if cap is not None else ""
    for c in _classes(el):
        if c.startswith("is-provider-"):
            provider = c[len("is-provider-"):].replace("-", " ").title()
    title = Path(unquote(parsed.path)).name if provider in ("Audio", "Video") else ""
    return Embed(url=src, title=(title or caption or parsed.netloc)[:255], provider=(provider or parsed.netloc)[:80],
                 caption=caption[:400])


def wordpress_html_to_blocks(html: str, ctx: ContentContext, image) -> list:
    """WordPress HTML → our blocks. WordPress-only constructs (pull quotes with a citation,
    galleries, embeds, audio and video, figures around tables) are mapped here; everything else
    goes through the one HTML reader (communique.documents.readers.html)."""
    root = html_reader.parse_fragment(html)
    if root is None:
        return []
    special: list = []

    def placeholder(el, block) -> None:
        p = el.makeelement("p")
        p.text = f"\u2063WPBLOCK{len(special)}\u2063"
        p.tail = el.tail
        special.append(block)
        el.getparent().replace(el, p)

    def unwrap(el) -> None:
        parent, idx = el.getparent(), el.getparent().index(el)
        if el.text and el.text.strip():
            p = el.makeelement("p")
            p.text = el.text
            parent.insert(idx, p)
            idx += 1
        for child in list(el):
            parent.insert(idx, child)
            idx += 1
        if el.tail and el.tail.strip():
            p = el.makeelement("p")
            p.text = el.tail
            parent.insert(idx, p)
        parent.remove(el)

    removed = set()
    for el in list(root.iter("script", "style", "form", "input", "button", "noscript", "select", "textarea", "object")):
        removed.add(el.tag)
        if el.getparent() is not None:
            el.drop_tree()
    if removed:
        ctx.report(f"left out: {', '.join('<' + t + '>' for t in sorted(removed))}")

    # Galleries: lift every image into its own figure (the reader reads one image per figure).
    for gal in [e for e in root.iter() if isinstance(e.tag, str) and (
            _classes(e) & {"wp-block-gallery", "blocks-gallery-grid", "gallery", "tiled-gallery"})]:
        if gal.getparent() is None:
            continue
        figures = []
        for img in gal.iter("img"):
            fig = img.getparent()
            while fig is not None and fig is not gal and fig.tag != "figure":
                fig = fig.getparent()
            cap = fig.find(".//figcaption") if fig is not None and fig is not gal else None
            if cap is None:
                dd = img.getparent()
                while dd is not None and dd is not gal and not (_classes(dd) & {"gallery-item"}):
                    dd = dd.getparent()
                cap = dd.find(".//*[@class]") if dd is not None and dd is not gal else None
                cap = cap if cap is not None and "caption" in (cap.get("class") or "") else None
            new = gal.makeelement("figure")
            new.append(etree.fromstring(etree.tostring(img, with_tail=False)))
            if cap is not None:
                fc = gal.makeelement("figcaption")
                fc.text = re.sub(r"\s+", " ", cap.text_content()).strip()
                new.append(fc)
            figures.append(new)
        outer_cap = [c for c in gal if isinstance(c.tag, str) and c.tag == "figcaption"]
        div = gal.makeelement("div")
        div.extend(figures)
        if outer_cap:
            p = gal.makeelement("p")
            p.text = outer_cap[0].text_content().strip()
            div.append(p)
        div.tail = gal.tail
        gal.getparent().replace(gal, div)

    for el in list(root.iter("figure", "blockquote", "audio", "video", "iframe")):
        if el.getparent() is None or not any(a is root for a in el.iterancestors()):
            continue
        cls = _classes(el)
        if el.tag in ("audio", "video"):
            embed = _embed_from(el, el.tag.title())
            if embed:
                ctx.report(f"{el.tag} kept as a link card ({embed.url})")
                placeholder(el, embed)
            else:
                ctx.report(f"<{el.tag}> without a web address left out")
                el.drop_tree()
            continue
        if el.tag == "iframe":
            embed = _embed_from(el)
            if embed:
                ctx.report(f"embedded frame kept as a link card ({embed.url})")
                placeholder(el, embed)
            else:
                el.drop_tree()
            continue
        if el.tag == "figure" and (cls & {"wp-block-embed", "wp-block-video", "wp-block-audio"}
                                   or any(c.startswith("wp-block-embed") for c in cls)):
            media_el = el.find(".//video") if el.find(".//video") is not None else el.find(".//audio")
            if media_el is None:
                media_el = el.find(".//iframe")
            embed = _embed_from(media_el, media_el.tag.title() if media_el.tag != "iframe" else "") \
                if media_el is not None else _embed_from(el)
            if embed is not None and not embed.caption:
                cap = el.find(".//figcaption")
                embed.caption = re.sub(r"\s+", " ", cap.text_content()).strip()[:400] if cap is not None else ""
            if embed:
                placeholder(el, embed)
            else:
                ctx.report("an embed without a web address left out")
                el.drop_tree()
            continue
        if el.tag == "blockquote" or (el.tag == "figure" and "wp-block-pullquote" in cls):
            quote = el if el.tag == "blockquote" else (el.find(".//blockquote") if el.find(".//blockquote") is not None else el)
            cite = quote.find(".//cite")
            is_pull = "wp-block-pullquote" in cls or "wp-block-pullquote" in _classes(quote)
            if cite is not None or is_pull:
                attribution = re.sub(r"\s+", " ", cite.text_content()).strip() if cite is not None else ""
                if cite is not None:
                    cite.drop_tree()
                text = "\n\n".join(re.sub(r"\s+", " ", p.text_content()).strip() for p in quote.iter("p")) \
                    or re.sub(r"\s+", " ", quote.text_content()).strip()
                if text and (is_pull or len(text) <= 400):
                    placeholder(el, dm.PullQuote(text=text, attribution=attribution.lstrip("—–- ")[:255]))
                elif attribution:
                    p = quote.makeelement("p")
                    p.text = "— " + attribution
                    quote.append(p)
            continue
        if el.tag == "figure" and el.find(".//img") is None:
            # <figure class="wp-block-table"> and friends: the reader only knows image figures.
            cap = el.find("figcaption")
            table = el.find(".//table")
            if cap is not None:
                if table is not None and table.find("caption") is None:
                    c = table.makeelement("caption")
                    c.text = cap.text_content().strip()
                    table.insert(0, c)
                    cap.drop_tree()
                else:
                    cap.tag = "p"
            unwrap(el)

    read_ctx = html_reader.HtmlContext(ctx.report, image=image)
    out = []
    for block in html_reader.blocks(root, read_ctx):
        if isinstance(block, dm.Paragraph) and len(block.children) == 1 and isinstance(block.children[0], dm.Text):
            m = re.fullmatch(r"\u2063WPBLOCK(\d+)\u2063", block.children[0].text.strip())
            if m:
                out.append(special[int(m.group(1))])
                continue
        out.append(block)
    return out


# ---- images from the export's folder --------------------------------------------------------


def make_resolver(roots: list[Path]):
    roots = [r.resolve() for r in roots if r and r.is_dir()]

    def resolve(src: str):
        try:
            parsed = urlparse(src or "")
        except ValueError:
            return None
        if parsed.scheme in ("data", "javascript") or not parsed.path:
            return None
        rel = unquote(parsed.path).lstrip("/")
        for base in roots:
            candidates = []
            if "wp-content/uploads/" in rel:
                tail = rel.split("wp-content/uploads/", 1)[1]
                candidates += [base / "uploads" / tail, base / "wp-content" / "uploads" / tail, base / tail]
            candidates += [base / rel, base / "uploads" / Path(rel).name, base / Path(rel).name]
            for c in candidates:
                try:
                    c = c.resolve()
                except (OSError, ValueError):
                    continue
                if c.is_file() and (base in c.parents):  # never read outside the given folders
                    return c
        return None

    return resolve


def _readable_image(path: Path) -> bool:
    from PIL import Image as PILImage

    try:
        with PILImage.open(path) as im:
            im.verify()
        return True
    except Exception:  # noqa: BLE001 - any Pillow refusal means "not an image we can store"
        return False


# ---- the import ----------------------------------------------------------------------------


@dataclass
class ItemOutcome:
    type: str
    id: str
    title: str
    outcome: str  # imported, merged, skipped
    reason: str = ""
    live: bool = False


@dataclass
class WxrSummary:
    items: list[ItemOutcome] = field(default_factory=list)
    authors: int = 0
    comments: int = 0
    wxr_version: str = ""

    def count(self, type_=None, outcome=None) -> int:
        return sum(1 for i in self.items if (type_ is None or i.type == type_) and (outcome is None or i.outcome == outcome))

    def by_type(self) -> dict:
        table: dict[str, dict[str, int]] = {}
        for i in self.items:
            row = table.setdefault(i.type, {"imported": 0, "merged": 0, "skipped": 0})
            row[i.outcome] = row.get(i.outcome, 0) + 1
        return table

    def skipped(self) -> list[ItemOutcome]:
        return [i for i in self.items if i.outcome == "skipped"]

    # The keys the command printed before; kept so callers keep working.
    def __getitem__(self, key):
        posts = [i for i in self.items if i.type in ("post", "page") and i.outcome != "skipped"]
        return {
            "posts": sum(1 for i in posts if i.type == "post"),
            "pages": sum(1 for i in posts if i.type == "page"),
            "live": sum(1 for i in posts if i.live),
            "drafts": sum(1 for i in posts if not i.live),
            "skipped": len(self.skipped()),
            "authors": self.authors,
        }[key]


class ItemSkipped(Exception):
    """An item that is not imported on purpose or cannot be; the message is the reason."""


def read_authors(channel) -> dict[str, dm.Contributor]:
    authors = {}
    for a in _wp_all(channel, "author"):
        login = _wp(a, "author_login")
        name = clean_title(_wp(a, "author_display_name")) or " ".join(
            x for x in (clean_title(_wp(a, "author_first_name")), clean_title(_wp(a, "author_last_name"))) if x
        ) or clean_title(login)
        if login:
            authors[login] = dm.Contributor(name=name or login)
    return authors


def read_attachments(items) -> dict:
    out = {}
    for item in items:
        if _wp(item, "post_type") != "attachment":
            continue
        alt = ""
        for meta in _wp_all(item, "postmeta"):
            if _wp(meta, "meta_key") == "_wp_attachment_image_alt":
                alt = _wp(meta, "meta_value")
        excerpt = _text(item, "encoded", WP_EXCERPT_NS)
        out[_wp(item, "post_id")] = {
            "url": _wp(item, "attachment_url") or _text(item, "guid"),
            "title": clean_title(_text(item, "title")),
            "parent": _wp(item, "post_parent"),
            "alt": htmllib.unescape(alt),
            "caption": re.sub(r"<[^>]+>", "", htmllib.unescape(excerpt)).strip(),
        }
    return out


def import_wxr(path: Path, session: ImportSession, home=None, *, strict: bool = False,
               media_dir: Path | None = None) -> WxrSummary:
    from .to_wagtail import find_home, get_or_create_author

    path = Path(path)
    channel = parse_wxr(path, session.warn)
    home = home or find_home()
    site_key = _text(channel, "link") or _wp(channel, "base_blog_url") or _wp(channel, "base_site_url") or path.name
    summary = WxrSummary(wxr_version=_wp(channel, "wxr_version"))
    resolver = make_resolver([p for p in (Path(media_dir) if media_dir else None, path.parent) if p])

    authors = read_authors(channel)
    author_slugs: dict[str, str] = {}
    for login, contributor in authors.items():
        slug = normalise_slug(login, contributor.name) or "author"
        author_slugs[login] = slug
        get_or_create_author(contributor, session, slug=slug)
    summary.authors = len(authors)
    categories = {}
    for c in _wp_all(channel, "category"):
        categories[_wp(c, "category_nicename")] = clean_title(_wp(c, "cat_name"))
    tag_names = {_wp(t, "tag_slug"): clean_title(_wp(t, "tag_name")) for t in _wp_all(channel, "tag")}

    items = [i for i in channel if _local(i) == "item"]
    attachments = read_attachments(items)
    if not items:
        session.warn(f"{KIND}: the export has no posts or pages")

    page_parents: dict[str, object] = {}  # WordPress page id → the ContentPage it became
    for n, item in enumerate(_parents_first(items), start=1):
        post_type = _wp(item, "post_type") or ""
        post_id = _wp(item, "post_id") or _text(item, "guid") or str(n)
        title = clean_title(_text(item, "title"))
        outcome = ItemOutcome(type=post_type or "unknown", id=post_id, title=title, outcome="skipped")
        summary.items.append(outcome)
        summary.comments += len(_wp_all(item, "comment"))
        if post_type == "attachment":
            outcome.outcome, outcome.reason = "merged", "media: imported where a post uses it"
            continue
        if post_type in NOT_CONTENT_TYPES:
            outcome.reason = NOT_CONTENT_TYPES[post_type]
            continue
        if not post_type:
            foreign = next((c for c in item if _local(c) == "post_type"), None)
            outcome.reason = (
                f"its post type is in the namespace '{_ns(foreign)}', not WordPress's; not trusted"
                if foreign is not None else "no wp:post_type: not a WordPress post"
            )
            continue
        if post_type not in ("post", "page"):
            outcome.reason = f"post type '{post_type}' (a plugin's content type) has no place in Communiqué"
            continue
        where = f"{post_type} {post_id} '{title[:60]}'"
        mark = len(session.written_files)
        try:
            with transaction.atomic():  # a savepoint: a failing item is rolled back alone
                created, live = _import_item(
                    item, post_type, post_id, title, where, session, home=home, site_key=site_key,
                    authors=authors, author_slugs=author_slugs, categories=categories, tag_names=tag_names,
                    attachments=attachments, resolver=resolver, page_parents=page_parents,
                )
            outcome.outcome, outcome.live = ("imported" if created else "merged"), live
        except ItemSkipped as exc:
            _forget_files(session, mark)
            outcome.reason = str(exc)  # a decision (trash, empty, automatic draft), not a failure: --strict keeps going
        except Exception as exc:  # noqa: BLE001 - reported per item; --strict turns it back into a failure
            _forget_files(session, mark)
            reason = str(exc) if isinstance(exc, ImportFailed) else f"{exc.__class__.__name__}: {exc}"
            outcome.reason = f"could not be imported: {reason}"
            if strict:
                raise ImportFailed(f"{KIND}: {where} could not be imported: {reason} (--strict: nothing imported)") from exc
    for i in summary.skipped():
        if i.type in ("post", "page", "unknown"):
            session.warn(f"{KIND}: skipped {i.type} {i.id} '{i.title[:60]}': {i.reason}")
    if summary.comments:
        session.warn(f"{KIND}: {summary.comments} comment(s) counted, not imported (Communiqué has no comments)")
    return summary


def _parents_first(items: list) -> list:
    """Items in export order, except that pages come after the page they are filed under
    (wp:post_parent), siblings in WordPress's menu order, so a child finds its parent already made."""
    pages = {_wp(i, "post_id"): i for i in items if _wp(i, "post_type") == "page"}

    def depth(item, seen=()):
        parent = _wp(item, "post_parent")
        if parent in pages and parent not in seen and len(seen) < 50:
            return 1 + depth(pages[parent], seen + (parent,))
        return 0

    def menu_order(item):
        try:
            return int(_wp(item, "menu_order") or 0)
        except ValueError:
            return 0

    others = [i for i in items if _wp(i, "post_type") != "page"]
    return others + sorted(pages.values(), key=lambda i: (depth(i), menu_order(i)))


def _forget_files(session: ImportSession, mark: int) -> None:
    for storage, name in session.written_files[mark:]:
        try:
            storage.delete(name)
        except OSError:
            pass
    del session.written_files[mark:]


def _import_item(item, post_type, post_id, title, where, session, *, home, site_key, authors, author_slugs,
                 categories, tag_names, attachments, resolver, page_parents=None):
    from django.utils import timezone
    from wagtail.models import PageViewRestriction

    from .to_wagtail import parse_when, save_document

    def warn(message: str) -> None:
        session.warn(f"{KIND}: {where}: {message}")

    status = _wp(item, "status")
    password = _wp(item, "post_password")
    if status == "trash":
        raise ItemSkipped("in WordPress's trash")
    if status in ("inherit", "auto-draft"):
        raise ItemSkipped(f"status '{status}': an automatic draft or revision, never written by anyone")
    content_el = _child(item, "encoded", NS_CONTENT)
    content = (content_el.text or "") if content_el is not None else ""
    excerpt = _text(item, "encoded", WP_EXCERPT_NS)
    if not title:
        words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>|\[[^\]]*\]", " ", htmllib.unescape(content))).strip()
        if not words:
            raise ItemSkipped("no title and no text: nothing to import")
        title = (" ".join(words.split(" ")[:8]))[:80].rstrip(".,;:") + "…"
        warn(f"untitled in WordPress; titled '{title}' from its first words")

    ctx = ContentContext(where=where, warn=warn, attachments=attachments, post_id=post_id)
    missing: list[str] = []

    def image(el):
        src = el.get("src") or el.get("data-src") or ""
        try:
            urlparse(src)
        except ValueError:
            ctx.report(f"image address '{src[:80]}' is not a valid URL; left out")
            return None
        found = resolver(src)
        if found is None:
            missing.append(src)
            return None
        if not _readable_image(found):
            ctx.report(f"image '{found.name}' is not a readable image; left out")
            return None
        return dm.Image(path=found, alt=el.get("alt") or "")

    blocks = wordpress_html_to_blocks(autop(expand_shortcodes(content, ctx)), ctx, image)
    if missing:
        names = ", ".join(sorted({Path(unquote(urlparse(m).path)).name or m for m in missing})[:5])
        warn(f"{len(missing)} image(s) not in the export's folder or uploads tree, left out (never downloaded): {names}")

    # Categories: the first one that is already a section wins, else the first; the others are tags.
    cats, tags = [], []
    for cat in item:
        if _local(cat) != "category":
            continue
        domain, nicename = cat.get("domain"), cat.get("nicename") or ""
        label = clean_title(cat.text or "")
        if not label:
            continue
        if domain == "category":
            cats.append((categories.get(nicename) or label, normalise_slug(nicename, label)))
        elif domain in ("post_tag", "tag"):
            tags.append(tag_names.get(nicename) or label)
        elif domain is None:
            pass  # WXR 1.0 repeats every term without a domain for RSS readers; the domain'd copy counts
        elif domain not in ("post_format", "nav_menu"):
            tags.append(label)
    for label in [clean_title(c.text or "") for c in item if _local(c) == "category" and c.get("domain") is None]:
        known = {c[0].lower() for c in cats} | {t.lower() for t in tags}
        if label and label.lower() not in known:
            (cats.append((label, normalise_slug(label))) if label in categories.values() else tags.append(label))
    if post_type == "page":
        section_name, section_slug = "", ""  # pages have no section: they hang in the tree
    elif cats:
        section_name, section_slug = _pick_section(cats, home)
        tags += [c[0] for c in cats if c[0] != section_name]
    else:
        section_name, section_slug = "News", "news"
        warn("no category; filed under News")
    tags = list(dict.fromkeys(t for t in tags if t and t.lower() != "uncategorized"))

    cover = None
    for meta in _wp_all(item, "postmeta"):
        if _wp(meta, "meta_key") == "_thumbnail_id":
            thumb_id = _wp(meta, "meta_value")
            a = attachments.get(thumb_id)
            if not a or not a["url"]:
                warn(f"featured image (attachment {thumb_id}) is not in the export")
                continue
            found = resolver(a["url"])
            if found is None:
                warn(f"featured image '{a['url'][:120]}' is not next to the export; left out (never downloaded)")
            elif not _readable_image(found):
                warn(f"featured image '{found.name}' is not a readable image; left out")
            else:
                cover = found
                cover_caption, cover_alt = a["caption"], a["alt"]

    date, problem = parse_wp_date(_wp(item, "post_date_gmt"))
    if not date:
        date, problem2 = parse_wp_date(_wp(item, "post_date"))
        problem = problem or problem2
    if problem:
        warn(f"{problem}; left undated")

    login = _text(item, "creator", NS_DC)
    contributors, slugs = [], {}
    if login:
        c = authors.get(login) or dm.Contributor(name=clean_title(login) or login)
        contributors.append(c)
        slugs[c.name] = author_slugs.get(login) or normalise_slug(login, c.name) or "author"
    excerpt_text = re.sub(r"<[^>]+>", "", htmllib.unescape(excerpt)).strip()
    doc = dm.Document(
        meta=dm.Metadata(title=title, contributors=contributors, date=date, subjects=tags,
                         description=excerpt_text, cover_image=cover),
        divisions=[dm.Division(kind="article", title=title, blocks=blocks, section_label=section_name)],
    )

    restricted = ""
    if password:
        restricted = "password"
        warn("password-protected in WordPress: imported as a draft behind the same password, not public")
    elif status == "private":
        restricted = "login"
        warn("private in WordPress: imported as a draft visible to signed-in users only, not public")
    when = parse_when(date) if date else None
    scheduled = status == "future" and when is not None and when > timezone.now()
    live = status in ("publish", "future") and not restricted and not scheduled
    if status not in ("publish", "future", "draft", "pending", "private", "auto-draft", "inherit"):
        warn(f"unknown status '{status}'; imported as a draft")
    key = f"{site_key}#{post_id}"
    if post_type == "page":
        # A page of the site ("About", "Contact"), not an article: a ContentPage under home, or
        # under the page WordPress files it under.
        from .to_wagtail import save_content_page

        # A site page has no section: its categories are kept as tags beside its own tags.
        doc.meta.subjects = list(dict.fromkeys(
            t for t in tags + [c[0] for c in cats] if t and t.lower() != "uncategorized"))
        parent_id = _wp(item, "post_parent")
        parent = (page_parents or {}).get(parent_id) or home
        if parent_id and parent_id != "0" and parent is home:
            warn(f"its parent page {parent_id} is not in the export or was not imported; placed under home")
        page, created = save_content_page(
            doc, session, parent=parent, source=KIND, key=key, kind=KIND,
            slug=normalise_slug(_wp(item, "post_name"), title) or "page", live=live,
        )
        if page_parents is not None:
            page_parents[post_id] = page
    else:
        page, created = save_document(
            doc, session, section_name=section_name, section_slug=section_slug, source=KIND, key=key,
            slug=normalise_slug(_wp(item, "post_name"), title) or "article", live=live, home=home,
            author_slugs=slugs or None, kind=KIND, match_slug=False,
            lead_image_alt=cover_alt if cover else "", lead_image_caption=cover_caption if cover else "",
        )
    if restricted:
        PageViewRestriction.objects.filter(page=page).delete()
        if restricted == "password":
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD,
                                               password=password[:255])
        else:
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    if scheduled:
        page.go_live_at = when
        page.save_revision().publish()  # Wagtail holds it until go_live_at
        warn(f"scheduled in WordPress: publishes at {when.isoformat()}")
    return created, live


def _pick_section(cats: list[tuple[str, str]], home) -> tuple[str, str]:
    from communique.magazine.models import SectionPage

    existing = {s.slug for s in SectionPage.objects.child_of(home)} | {
        s.title.lower() for s in SectionPage.objects.child_of(home)}
    for name, slug in cats:
        if slug in existing or name.lower() in existing:
            return name, slug
    real = [c for c in cats if c[1] != "uncategorized"] or cats
    return real[0]


def dumps_summary(summary: WxrSummary) -> str:
    return json.dumps({"by_type": summary.by_type(), "authors": summary.authors, "comments": summary.comments,
                       "skipped": [i.__dict__ for i in summary.skipped()]}, ensure_ascii=False, indent=2)

"""`communique import wordpress FILE.xml`: a WordPress WXR export.

Parsed with lxml with entity resolution, network access and huge trees off; a document that
declares entities is refused outright (an entity bomb needs declarations). Posts become
ArticlePages (publish → live, draft/pending → draft), wp:author → Author snippets, categories →
sections, post_tag → tags. Featured images are read from files next to the export, never fetched.
Re-running updates the pages recorded in ImportRecord instead of duplicating them."""
from __future__ import annotations

import html as htmllib
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.text import slugify
from lxml import etree

from communique.documents import model as dm

from .base import ImportFailed, ImportSession, read_bytes
from .html import html_to_blocks

KIND = "wordpress"
NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS_EXCERPT = "http://wordpress.org/export/1.2/excerpt/"
NS_DC = "http://purl.org/dc/elements/1.1/"


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _ns(el) -> str:
    return etree.QName(el).namespace or "" if isinstance(el.tag, str) else ""


def _child(el, name: str, ns_prefix: str | None = None):
    for c in el:
        if _local(c) == name and (ns_prefix is None or _ns(c).startswith(ns_prefix)):
            return c
    return None


def _text(el, name: str, ns_prefix: str | None = None) -> str:
    c = _child(el, name, ns_prefix)
    return (c.text or "").strip() if c is not None else ""


def _wp(el, name: str) -> str:
    return _text(el, name, "http://wordpress.org/export/")


def parse_wxr(path: Path):
    data = read_bytes(path, KIND)
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
        raise ImportFailed(f"{KIND}: the export is not well-formed XML at line {line}: {msg}") from exc
    if _local(root) != "rss" or _child(root, "channel") is None:
        raise ImportFailed(f"{KIND}: '{path.name}' is not a WordPress export (no <rss><channel>)")
    channel = _child(root, "channel")
    if not any(_ns(c).startswith("http://wordpress.org/export/") for c in channel.iter() if isinstance(c.tag, str)):
        raise ImportFailed(f"{KIND}: '{path.name}' is an RSS feed, not a WordPress export (no wp: elements)")
    return channel


def expand_shortcodes(content: str, warn, where: str) -> str:
    content = re.sub(r"<!--\s*/?wp:.*?-->", "", content, flags=re.S)  # Gutenberg block comments

    def caption(m):
        inner = m.group(2)
        img = re.search(r"<img\b[^>]*>", inner, re.I)
        if not img:
            return inner
        link = re.search(r"<a\b[^>]*>\s*" + re.escape(img.group(0)) + r"\s*</a>", inner, re.I)
        text = inner.replace(link.group(0) if link else img.group(0), "", 1).strip()
        cap = re.search(r'caption="([^"]*)"', m.group(1))
        text = text or (htmllib.unescape(cap.group(1)) if cap else "")
        return f"<figure>{img.group(0)}<figcaption>{text}</figcaption></figure>"

    content = re.sub(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", caption, content, flags=re.S | re.I)
    leftovers = sorted(set(re.findall(r"\[/?([a-z_][\w-]*)[^\]]*\]", content, re.I)))
    known = [s for s in leftovers if s.lower() in {"gallery", "embed", "video", "audio", "playlist", "contact-form-7", "button", "vc_row", "vc_column", "vc_column_text", "et_pb_section", "et_pb_text"}]
    if known:
        warn(f"{KIND}: {where}: shortcodes removed: {', '.join('[' + s + ']' for s in known)}")
        content = re.sub(r"\[/?(?:" + "|".join(map(re.escape, known)) + r")\b[^\]]*\]", "", content, flags=re.I)
    return content


def autop(content: str) -> str:
    """WordPress stores classic-editor posts without <p>: blank lines separate paragraphs."""
    if re.search(r"<p[\s>]", content, re.I):
        return content
    parts = [p.strip() for p in re.split(r"\n\s*\n", content.replace("\r\n", "\n")) if p.strip()]
    out = []
    for p in parts:
        if re.match(r"<(h[1-6]|ul|ol|table|blockquote|figure|div|pre|hr)\b", p, re.I):
            out.append(p)
        else:
            out.append("<p>" + p.replace("\n", "<br/>") + "</p>")
    return "\n".join(out)


def make_resolver(base_dir: Path, warn, where: str):
    def resolve(src: str, alt: str = ""):
        parsed = urlparse(src)
        if parsed.scheme in ("data", "javascript"):
            return None
        rel = unquote(parsed.path).lstrip("/")
        candidates = []
        if "wp-content/uploads/" in rel:
            tail = rel.split("wp-content/uploads/", 1)[1]
            candidates += [base_dir / "uploads" / tail, base_dir / "wp-content" / "uploads" / tail]
        candidates += [base_dir / rel, base_dir / "uploads" / Path(rel).name, base_dir / Path(rel).name]
        base = base_dir.resolve()
        for c in candidates:
            try:
                c = c.resolve()
            except OSError:
                continue
            if c.is_file() and (base in c.parents):  # never read outside the export's folder
                return c
        return None

    return resolve


def import_wxr(path: Path, session: ImportSession, home=None) -> dict:
    from .to_wagtail import find_home, get_or_create_author, save_document

    path = Path(path)
    channel = parse_wxr(path)
    base_dir = path.parent
    home = home or find_home()
    site_key = _text(channel, "link") or _wp(channel, "base_site_url") or path.name

    authors: dict[str, dm.Contributor] = {}
    for a in channel:
        if _local(a) == "author" and _ns(a).startswith("http://wordpress.org/export/"):
            login = _wp(a, "author_login")
            name = _wp(a, "author_display_name") or " ".join(
                x for x in (_wp(a, "author_first_name"), _wp(a, "author_last_name")) if x) or login
            if login:
                authors[login] = dm.Contributor(name=name)
    categories = {}
    for c in channel:
        if _local(c) == "category" and _ns(c).startswith("http://wordpress.org/export/"):
            categories[_wp(c, "category_nicename")] = htmllib.unescape(_wp(c, "cat_name"))

    items = [i for i in channel if _local(i) == "item"]
    attachments = {}
    for item in items:
        if _wp(item, "post_type") == "attachment":
            attachments[_wp(item, "post_id")] = (_wp(item, "attachment_url") or _text(item, "guid"), _text(item, "title"))

    summary = {"posts": 0, "live": 0, "drafts": 0, "skipped": 0, "authors": 0}
    author_objects = {}
    for login, contributor in authors.items():
        author_objects[login] = get_or_create_author(contributor, session, slug=slugify(login))
    summary["authors"] = len(author_objects)

    for n, item in enumerate(items, start=1):
        if _wp(item, "post_type") != "post":
            continue
        post_id = _wp(item, "post_id")
        title = htmllib.unescape(_text(item, "title"))
        where = f"post {post_id or n} '{title[:60]}'"
        status = _wp(item, "status")
        if status in ("publish", "future"):
            live = True
        elif status in ("draft", "pending", "auto-draft", "private"):
            live = False
        else:
            session.warn(f"{KIND}: {where}: status '{status}' skipped")
            summary["skipped"] += 1
            continue
        if not title:
            raise ImportFailed(f"{KIND}: {where}: the post has no title")
        content_el = _child(item, "encoded", NS_CONTENT)
        excerpt_el = _child(item, "encoded", "http://wordpress.org/export/")
        content = content_el.text or "" if content_el is not None else ""
        excerpt = (excerpt_el.text or "").strip() if excerpt_el is not None else ""

        resolver = make_resolver(base_dir, session.warn, where)
        warn = lambda m, where=where: session.warn(f"{KIND}: {where}: {m}")  # noqa: E731
        html = autop(expand_shortcodes(content, session.warn, where))
        blocks = html_to_blocks(html, resolve_image=resolver, warn=warn)

        section_name, section_slug, tags = "", "", []
        for cat in item:
            if _local(cat) != "category":
                continue
            domain, nicename = cat.get("domain"), cat.get("nicename") or ""
            label = htmllib.unescape((cat.text or "").strip())
            if domain == "category" and not section_name:
                section_name, section_slug = categories.get(nicename, label) or label, nicename
            elif domain == "post_tag" and label:
                tags.append(label)
        if not section_name:
            section_name, section_slug = "News", "news"
            warn("no category; filed under News")

        cover = None
        for meta in item:
            if _local(meta) == "postmeta" and _wp(meta, "meta_key") == "_thumbnail_id":
                thumb_id = _wp(meta, "meta_value")
                url = attachments.get(thumb_id, ("", ""))[0]
                if not url:
                    warn(f"featured image (attachment {thumb_id}) is not in the export")
                    continue
                cover = resolver(url)
                if cover is None:
                    warn(f"featured image '{url}' is not next to the export; left out (never downloaded)")

        date = _wp(item, "post_date_gmt")
        if not date or date.startswith("0000"):
            date = _wp(item, "post_date")
        if date.startswith("0000"):
            date = ""
        login = _text(item, "creator", NS_DC)
        contributors = []
        if login:
            contributors.append(authors.get(login) or dm.Contributor(name=login))
        excerpt_text = re.sub(r"<[^>]+>", "", htmllib.unescape(excerpt)).strip()
        doc = dm.Document(
            meta=dm.Metadata(title=title, contributors=contributors, date=date, subjects=tags,
                             description=excerpt_text, cover_image=cover),
            divisions=[dm.Division(kind="article", title=title, blocks=blocks, section_label=section_name)],
        )
        try:
            save_document(
                doc, session, section_name=section_name, section_slug=section_slug, source="wordpress",
                key=f"{site_key}#{post_id}", slug=_wp(item, "post_name"), live=live, home=home,
                author_slugs={c.name: slugify(login) for c in contributors} if login else None, kind=KIND,
            )
        except ImportFailed as exc:
            raise ImportFailed(f"{KIND}: {where}: {exc}") from exc
        except Exception as exc:
            # Any failure aborts the whole import; say which post it was.
            raise ImportFailed(f"{KIND}: {where} could not be imported: {exc.__class__.__name__}: {exc}") from exc
        summary["posts"] += 1
        summary["live" if live else "drafts"] += 1
    if summary["posts"] == 0:
        session.warn(f"{KIND}: the export has no posts")
    return summary

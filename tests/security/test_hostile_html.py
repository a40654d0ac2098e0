"""User HTML arriving by every path that stores it must come out inert on the reader page, in the
EPUB and in the KDP setup sheet: no script, no iframe, no event handlers, no javascript: URLs."""
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from .conftest import HOSTILE, assert_inert

pytestmark = pytest.mark.django_db

INLINE = ('ok<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'
          '<iframe src="//evil"></iframe><style>*{}</style>')
PROSE = ("The delegations met for three days and agreed on a framework for further talks, "
         "which both ministries described as a real step forward for the region. ")


def _page(title):
    from communique.magazine.models import ArticlePage

    page = ArticlePage.objects.get(title=title)
    assert page.live
    return page


def _rendered(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def _epub_xhtml(client, page):
    response = client.get(reverse("editions:article_download", args=[page.pk, "epub"]))
    assert response.status_code == 200, response.content[:300]
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n).decode() for n in zf.namelist() if n.endswith((".xhtml", ".html"))}


def _check_everywhere(client, page, marker="region. ok"):
    # The hostile paragraph was stored (cleaned, not dropped), so the checks below saw it.
    assert marker in str(page.body.raw_data), str(page.body.raw_data)[:500]
    html = _rendered(client, page)
    assert_inert(html, "reader page")
    assert marker in html
    for name, xhtml in _epub_xhtml(client, page).items():
        assert_inert(xhtml.encode(), f"EPUB {name}")


def test_page_importer_html(mag, client, tmp_path):
    src = tmp_path / "hostile.html"
    src.write_text(
        "<!doctype html><html><head><title>Hostile Page Import</title></head><body><article>"
        "<h1>Hostile Page Import</h1><p class='byline'>By Jane Doe</p>"
        f"<p>{PROSE}{INLINE}</p><p>{PROSE}</p>{HOSTILE}<p>{PROSE}</p></article></body></html>",
        encoding="utf-8",
    )
    call_command("import", "page", str(src), "--section", "News")
    _check_everywhere(client, _page("Hostile Page Import"))


def test_wordpress_import_content(mag, client, tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Evil Blog</title><link>https://evil.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://evil.example</wp:base_site_url>
<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[eve]]></wp:author_login><wp:author_display_name><![CDATA[Eve Hacker]]></wp:author_display_name></wp:author>
<item><title>Hostile WordPress Post</title><dc:creator><![CDATA[eve]]></dc:creator>
<content:encoded><![CDATA[<p>{PROSE}{INLINE}</p>{HOSTILE}<!-- wp:html --><script>alert(2)</script><!-- /wp:html -->]]></content:encoded>
<excerpt:encoded><![CDATA[<b onmouseover=alert(1)>teaser</b>]]></excerpt:encoded>
<wp:post_id>7</wp:post_id><wp:post_date_gmt><![CDATA[2024-01-02 03:04:05]]></wp:post_date_gmt>
<wp:post_name><![CDATA[hostile]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category></item>
</channel></rss>""", encoding="utf-8")
    call_command("import", "wordpress", str(export))
    _check_everywhere(client, _page("Hostile WordPress Post"))


def test_markdown_import_raw_html_and_author_bio(mag, client, tmp_path):
    md = tmp_path / "hostile.md"
    md.write_text(
        "---\ntitle: Hostile Markdown Import\nsection: News\nauthors:\n"
        "  - name: Mallory Bio\n"
        "    bio: 'Writer <script>alert(1)</script><img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">me</a>'\n"
        "---\n\n"
        f"{PROSE}{INLINE}\n\n{HOSTILE}\n\n<div onclick=\"alert(1)\">{PROSE}</div>\n\n"
        "A footnote with a hostile label.[^x\"><script>alert(1)</script>]\n\n"
        f"{PROSE}[^n]\n\n[^n]: A note {INLINE}\n",
        encoding="utf-8",
    )
    call_command("import", "markdown", str(md))
    page = _page("Hostile Markdown Import")
    _check_everywhere(client, page)
    from communique.magazine.models import Author

    bio_author = Author.objects.get(name="Mallory Bio")
    author_page = client.get(reverse("magazine:author", args=[bio_author.slug]))
    assert author_page.status_code == 200
    assert_inert(author_page.content.decode(), "author page (bio)")


def test_footnote_filter_escapes_hostile_labels():
    from communique.magazine.templatetags.magazine_tags import footnote_refs

    # As rich text stores it (escaped) and as a raw string (the regex refuses markup characters).
    for source in ('<p>see[^&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;]</p>',
                   '<p>see[^&quot;&gt;&lt;img/src=x/onerror=alert(1)&gt;]</p>',
                   '<p>see[^x" onmouseover="alert(1)]</p>'):
        out = str(footnote_refs(source, {}))
        assert_inert(out, f"footnote_refs({source!r})")
    # The escaped label did become a footnote link, with its text escaped, not dropped.
    out = str(footnote_refs('<p>see[^&quot;&gt;&lt;script&gt;]</p>', {}))
    assert 'class="fn-ref"' in out and "&lt;script&gt;" in out


def test_portal_book_description_and_matter(client, author):
    from communique.books.models import Book

    client.force_login(author)
    data = {
        "title": "Hostile Book", "language": "en", "description": HOSTILE + "<h4>Fine</h4><b>bold</b>",
        "price_usd": "4.99", "paperback_price_usd": "12.99", "about_the_author": HOSTILE, "foreword": HOSTILE, "dedication": "<script>alert(1)</script>",
        "contributors-TOTAL_FORMS": "0", "contributors-INITIAL_FORMS": "0",
        "contributors-MIN_NUM_FORMS": "0", "contributors-MAX_NUM_FORMS": "1000",
    }
    for field in ("trim", "paper"):
        choices = Book._meta.get_field(field).choices
        if choices:
            data[field] = choices[0][0]
    response = client.post(reverse("books:create"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    book = Book.objects.get(title="Hostile Book")
    assert_inert(book.description, "stored description")
    from communique.books.validators import DESCRIPTION_TAGS
    import re

    assert {t.lower() for t in re.findall(r"</?([a-zA-Z0-9]+)", book.description)} <= DESCRIPTION_TAGS
    assert "<b>bold</b>" in book.description and "<h4>Fine</h4>" in book.description

    detail = client.get(reverse("books:detail", args=[book.public_id]))
    assert detail.status_code == 200
    assert_inert(detail.content.decode(), "portal book page")
    edit = client.get(reverse("books:edit", args=[book.public_id]))
    assert_inert(edit.content.decode(), "portal edit form")


def test_kit_metadata_sheet_and_epub_matter():
    """The setup sheet prints the description as HTML; whatever reaches it must already be clean.
    Front/back matter from the portal (plain text fields) must be text in the EPUB, not markup."""
    from communique.kdp.kit import add_matter, metadata_html
    from communique.kdp.metadata import BookMetadata

    md = BookMetadata.from_front_matter({"title": "T<script>alert(1)</script>", "language": "en",
                                         "contributors": [{"name": "A <img src=x onerror=alert(1)>", "role": "author"}],
                                         "description": HOSTILE})
    assert md.description_html  # the hostile description did reach the metadata
    sheet = metadata_html(md.to_dict())
    assert_inert(sheet, "KDP setup sheet")

    from communique.documents import model as dm
    from communique.editions.registry import write

    doc = dm.Document(meta=dm.Metadata(title="Matter", language="en"),
                      divisions=[dm.Division(kind="chapter", title="One", blocks=[dm.Paragraph([dm.Text("Body.")])])])
    doc = add_matter(doc, {"about_the_author": HOSTILE, "foreword": HOSTILE})
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "m.epub"
        write("epub", doc, out)
        with zipfile.ZipFile(out) as zf:
            texts = [zf.read(n).decode() for n in zf.namelist() if n.endswith(".xhtml")]
    joined = "".join(texts)
    for t in texts:
        assert_inert(t.encode(), "EPUB matter")
    assert "&lt;script&gt;" in joined  # shown as text, which is what a plain-text field means

"""WordPress exports as WordPress.com and current WordPress write them: the https namespace,
percent-encoded non-Latin slugs, several categories, private and password-protected posts,
Gutenberg galleries, pull quotes, embeds and the shortcodes WordPress ships."""
import gzip
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

WXR_DIR = Path(__file__).parent / "fixtures" / "wxr"


def wxr(items: str, ns: str = "https://wordpress.org/export/1.2/", extra: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{ns}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">
<channel><title>Harbour Review</title><link>https://harbour.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login>mira</wp:author_login><wp:author_display_name><![CDATA[Mira Castellane]]></wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>analysis</wp:category_nicename><wp:cat_name><![CDATA[Analysis]]></wp:cat_name></wp:category>
<wp:category><wp:category_nicename>gulf</wp:category_nicename><wp:cat_name><![CDATA[Gulf]]></wp:cat_name></wp:category>
{extra}{items}</channel></rss>"""


def item(post_id, title, content="<p>Body text.</p>", status="publish", slug="", post_type="post", extra=""):
    return f"""<item><title><![CDATA[{title}]]></title><dc:creator>mira</dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded><wp:post_id>{post_id}</wp:post_id>
<wp:post_date>2022-03-04 10:00:00</wp:post_date><wp:post_date_gmt>2022-03-04 08:00:00</wp:post_date_gmt>
<wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status>{status}</wp:status><wp:post_type>{post_type}</wp:post_type>
{extra}</item>
"""


@pytest.fixture
def folder(tmp_path):
    shutil.copytree(WXR_DIR / "uploads", tmp_path / "uploads")
    return tmp_path


def run(folder, text, *args, name="export.xml"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    call_command("import", "wordpress", str(path), *args)
    return path


def test_https_namespace_export_imports(home, folder):
    """WordPress.com and the current Theme Unit Test data write https://wordpress.org/export/."""
    from communique.magazine.models import ArticlePage

    run(folder, wxr(item(1, "From WordPress.com", slug="from-com")))
    page = ArticlePage.objects.get(slug="from-com")
    assert page.live and [a.name for a in page.authors] == ["Mira Castellane"]


def test_gzipped_export_imports(home, folder):
    from communique.magazine.models import ArticlePage

    path = folder / "export.xml.gz"
    path.write_bytes(gzip.compress(wxr(item(1, "Packed", slug="packed")).encode()))
    call_command("import", "wordpress", str(path))
    assert ArticlePage.objects.filter(slug="packed").exists()


def test_wxr_1_0_namespace_and_tag_domain(home, folder):
    from communique.magazine.models import ArticlePage

    extra = '<category domain="category" nicename="analysis"><![CDATA[Analysis]]></category>' \
            '<category><![CDATA[Analysis]]></category><category domain="tag"><![CDATA[Mediation]]></category>'
    run(folder, wxr(item(1, "Old export", slug="old", extra=extra), ns="http://wordpress.org/export/1.0/"))
    page = ArticlePage.objects.get(slug="old")
    assert page.get_parent().title == "Analysis"
    assert [t.name for t in page.tags.all()] == ["Mediation"]


def test_every_category_kept_existing_section_wins(home, folder):
    from communique.importers.to_wagtail import get_or_create_section
    from communique.magazine.models import ArticlePage

    get_or_create_section("Gulf", home=home)
    extra = ('<category domain="category" nicename="analysis"><![CDATA[Analysis]]></category>'
             '<category domain="category" nicename="gulf"><![CDATA[Gulf]]></category>'
             '<category domain="post_tag" nicename="talks"><![CDATA[Talks]]></category>')
    run(folder, wxr(item(1, "Two categories", slug="two", extra=extra)))
    page = ArticlePage.objects.get(slug="two")
    assert page.get_parent().title == "Gulf"  # the site already has that section
    assert sorted(t.name for t in page.tags.all()) == ["Analysis", "Talks"]


def test_percent_encoded_and_bidi_slugs_are_normalised_and_unique(home, folder):
    from communique.magazine.models import ArticlePage

    urdu = "%d8%b3%d9%81%d8%a7%d8%b1%d8%aa%da%a9%d8%a7%d8%b1%db%8c"  # سفارتکاری
    items = (item(1, "سفارتکاری", slug=urdu) + item(2, "Second with the same slug", slug=urdu)
             + item(3, "Tricky \u202eslug\u202c", slug="tricky-\u202eguls\u202c"))
    run(folder, wxr(items))
    slugs = sorted(ArticlePage.objects.values_list("slug", flat=True))
    assert "سفارتکاری" in slugs and "سفارتکاری-2" in slugs
    assert "tricky-guls" in slugs
    assert ArticlePage.objects.get(slug="tricky-guls").title == "Tricky slug"  # the override is gone


def test_private_and_password_protected_posts_never_go_public(home, folder, capsys, client):
    """Issue 8 break 7: a password-protected post was imported as a public article."""
    from wagtail.models import PageViewRestriction

    from communique.magazine.models import ArticlePage

    items = (item(1, "Members only", status="private", slug="members")
             + item(2, "Secret terms", slug="secret", content="<p>The confidential terms.</p>",
                    extra="<wp:post_password>enter</wp:post_password>"))
    run(folder, wxr(items))
    err = capsys.readouterr().err
    secret = ArticlePage.objects.get(slug="secret")
    members = ArticlePage.objects.get(slug="members")
    assert not secret.live and not members.live
    assert PageViewRestriction.objects.get(page=secret).restriction_type == PageViewRestriction.PASSWORD
    assert PageViewRestriction.objects.get(page=members).restriction_type == PageViewRestriction.LOGIN
    assert "password-protected in WordPress" in err and "private in WordPress" in err
    # Even published later by an editor, the page asks for the password.
    secret.save_revision().publish()
    secret.refresh_from_db()
    response = client.get(secret.url)
    assert b"The confidential terms" not in response.content


def test_drafts_stay_drafts_and_future_posts_are_scheduled(home, folder):
    from communique.magazine.models import ArticlePage

    future = item(2, "Next year", status="future", slug="next").replace("2022-03-04", "2999-01-01")
    run(folder, wxr(item(1, "Unfinished", status="draft", slug="unfinished") + future))
    assert not ArticlePage.objects.get(slug="unfinished").live
    nxt = ArticlePage.objects.get(slug="next")
    assert not nxt.live and nxt.go_live_at.year == 2999


def test_gutenberg_and_shortcodes_map_to_blocks(home, folder, capsys):
    from communique.magazine.models import ArticlePage

    attachments = "".join(
        f"<item><title>{name}</title><wp:post_id>{pid}</wp:post_id><wp:post_type>attachment</wp:post_type>"
        f"<wp:post_parent>1</wp:post_parent><excerpt:encoded><![CDATA[{cap}]]></excerpt:encoded>"
        f"<wp:attachment_url>https://harbour.example/wp-content/uploads/2021/04/{name}</wp:attachment_url></item>"
        for pid, name, cap in ((90, "harbour.png", "The harbour at dawn"), (91, "inline.png", "A square")))
    content = """<!-- wp:paragraph --><p>Opening words.</p><!-- /wp:paragraph -->
<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Talk is never wasted.</p><cite>A mediator</cite></blockquote></figure><!-- /wp:pullquote -->
<!-- wp:gallery --><figure class="wp-block-gallery has-nested-images"><figure class="wp-block-image"><img src="https://harbour.example/wp-content/uploads/2021/04/harbour.png" alt="Harbour"/><figcaption>First</figcaption></figure><figure class="wp-block-image"><img src="https://harbour.example/wp-content/uploads/2021/04/inline.png" alt="Square"/><figcaption>Second</figcaption></figure></figure><!-- /wp:gallery -->
<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc"} --><figure class="wp-block-embed is-provider-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=abc
</div><figcaption>The interview</figcaption></figure><!-- /wp:embed -->
<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>Year</th><th>Talks</th></tr></thead><tbody><tr><td>2020</td><td>4</td></tr></tbody></table><figcaption>Talks per year</figcaption></figure><!-- /wp:table -->
<!-- wp:latest-posts /-->

[gallery ids="91"]

[audio src="https://harbour.example/podcast.mp3"]

[embed]https://vimeo.com/12345[/embed]

[contact-form-7 id="5" title="Contact"]"""
    extra = "<wp:comment><wp:comment_id>1</wp:comment_id></wp:comment><wp:comment><wp:comment_id>2</wp:comment_id></wp:comment>"
    run(folder, wxr(item(1, "Blocks", content=content, slug="blocks", extra=extra) + attachments))
    err = capsys.readouterr().err
    page = ArticlePage.objects.get(slug="blocks")
    kinds = [b.block_type for b in page.body]
    assert kinds == ["paragraph", "pull_quote", "image", "image", "embed", "table", "image", "embed", "embed"], kinds
    assert page.body[1].value["quote"] == "Talk is never wasted." and page.body[1].value["attribution"] == "A mediator"
    assert [page.body[i].value["caption"] for i in (2, 3, 6)] == ["First", "Second", "A square"]
    assert page.body[4].value["url"] == "https://www.youtube.com/watch?v=abc"
    assert page.body[4].value["provider"] == "Youtube" and page.body[4].value["caption"] == "The interview"
    assert page.body[5].value["table_caption"] == "Talks per year" and page.body[5].value["first_row_is_table_header"]
    assert page.body[7].value["provider"] == "Audio" and page.body[8].value["url"] == "https://vimeo.com/12345"
    assert "wp:latest-posts" in err and "[contact-form-7]" in err
    assert "2 comment(s) counted" in err
    page.body.stream_block.clean(page.body)


def test_reimport_merges_and_counts(home, folder, capsys):
    from communique.magazine.models import ArticlePage

    text = wxr(item(1, "Once", slug="once") + item(2, "Twice", slug="twice"))
    run(folder, text)
    capsys.readouterr()
    run(folder, text.replace("Body text.", "Body text, revised."))
    out = capsys.readouterr().out
    assert "post: 0 imported, 2 merged, 0 skipped" in out
    assert ArticlePage.objects.count() == 2
    assert "revised" in ArticlePage.objects.get(slug="once").body[0].value.source


def test_bad_image_url_and_invalid_date_are_per_item_warnings(home, folder, capsys):
    """Issue 8 break 20: `http://[bad` image URLs and invalid dates crashed the command."""
    from communique.magazine.models import ArticlePage

    bad = item(1, "Bad bits", slug="bad", content='<p>Words.</p><img src="http://[bad/x.png" alt="x"/>')
    bad = bad.replace("2022-03-04 08:00:00", "2022-13-45 99:00:00").replace("2022-03-04 10:00:00", "not a date")
    extra = '<item><title>Thumb</title><wp:post_id>9</wp:post_id><wp:post_type>attachment</wp:post_type>' \
            '<wp:attachment_url>http://[bad</wp:attachment_url></item>'
    bad = bad.replace("</item>", "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>9</wp:meta_value></wp:postmeta></item>")
    run(folder, wxr(bad + item(2, "Fine", slug="fine") + extra))
    err = capsys.readouterr().err
    page = ArticlePage.objects.get(slug="bad")
    assert "invalid date '2022-13-45 99:00:00'" in err
    assert "'http://[bad/x.png' is not a valid URL" in err
    assert page.live and page.lead_image is None
    assert ArticlePage.objects.filter(slug="fine").exists()


def test_page_tags_and_categories_are_kept_as_its_tags(home, folder, capsys):
    """A WordPress page (post_type page) becomes a ContentPage, which has no section: its categories
    and tags are its tags, without "Uncategorized"; a page without terms gets none; nothing is
    reported as lost."""
    from communique.magazine.models import ContentPage

    extra = ('<category domain="category" nicename="analysis"><![CDATA[Analysis]]></category>'
             '<category domain="post_tag" nicename="talks"><![CDATA[Talks]]></category>'
             '<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>')
    run(folder, wxr(item(7, "About the review", slug="about", post_type="page", extra=extra)
                    + item(8, "Contact", slug="contact", post_type="page")))
    out = capsys.readouterr().err
    about = ContentPage.objects.get(slug="about")
    assert sorted(about.tags.names()) == ["Analysis", "Talks"]
    assert list(ContentPage.objects.get(slug="contact").tags.names()) == []
    assert "not kept" not in out
    # Importing the same export again updates the page: the tags are not doubled.
    run(folder, wxr(item(7, "About the review", slug="about", post_type="page", extra=extra)))
    assert sorted(ContentPage.objects.get(slug="about").tags.names()) == ["Analysis", "Talks"]

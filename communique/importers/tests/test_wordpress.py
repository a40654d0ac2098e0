import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .conftest import counts

WXR = Path(__file__).parent / "fixtures" / "wxr"


@pytest.fixture
def export(tmp_path):
    target = tmp_path / "wxr"
    shutil.copytree(WXR, target)
    return target / "export.xml"


def test_import_posts_authors_sections_tags_images(home, export, capsys):
    from communique.magazine.models import ArticlePage, Author, ContentPage, SectionPage

    call_command("import", "wordpress", str(export))
    out = capsys.readouterr()
    assert "2 post(s) and 1 page(s) (2 live, 1 draft)" in out.out
    assert "not-here.jpg" in out.err and "never downloaded" in out.err
    assert "gallery image (attachment 1) is not in the export" in out.err
    assert "skipped post 104 'Old news': in WordPress's trash" in out.err

    assert set(ArticlePage.objects.values_list("title", flat=True)) == {"Quiet Channels: Track-Two Talks", "Museums as Embassies"}
    quiet = ArticlePage.objects.get(title="Quiet Channels: Track-Two Talks")
    assert quiet.live and quiet.slug == "quiet-channels"
    assert quiet.get_parent().specific.title == "Analysis"
    assert quiet.date.isoformat() == "2021-04-12T05:00:00+00:00"  # wp:post_date_gmt
    assert quiet.standfirst == "How informal talks keep a line open."
    assert sorted(t.name for t in quiet.tags.all()) == ["Gulf", "Mediation"]
    assert [a.name for a in quiet.authors] == ["Mira Castellane"]
    assert Author.objects.get(slug="mira").name == "Mira Castellane"
    assert quiet.lead_image is not None and quiet.lead_image.width == 120

    kinds = [b.block_type for b in quiet.body]
    assert kinds == ["paragraph", "heading", "pull_quote", "image", "table", "paragraph"]
    assert quiet.body[2].value["quote"] == "Nobody is bound by what is said."
    assert quiet.body[3].value["caption"] == "A square, framed"
    assert quiet.body[3].value["alt"] == "A framed square"
    table = quiet.body[4].value
    assert table["data"][0] == ["Year", "Meetings"] and table["first_row_is_table_header"]
    assert table["table_caption"] == "Meetings per year"
    assert "wp:" not in str(quiet.body[0].value.source)

    museums = ArticlePage.objects.get(title="Museums as Embassies")
    assert not museums.live
    assert museums.get_parent().specific.title == "Culture & Arts"
    assert [b.block_type for b in museums.body] == ["paragraph", "paragraph"]
    assert museums.lead_image is None
    assert SectionPage.objects.filter(title="Culture & Arts").exists()
    assert not ArticlePage.objects.filter(title="Old news").exists()
    # A WordPress page is a page of the site in the tree (under home), not an article in a section.
    about = ContentPage.objects.get(title="About us")
    assert about.live and about.get_parent().pk == home.pk
    assert not SectionPage.objects.filter(slug="pages").exists()
    assert [b.block_type for b in about.body] and about.body.stream_block.clean(about.body) is not None
    # What was stored is editable in the admin: the body passes the blocks' own validation.
    for page in (quiet, museums):
        page.body.stream_block.clean(page.body)


def test_rerun_updates_instead_of_duplicating(home, export):
    from communique.magazine.models import ArticlePage

    call_command("import", "wordpress", str(export))
    before = counts()
    first_pks = set(ArticlePage.objects.values_list("pk", flat=True))
    export.write_text(export.read_text().replace("Why informality helps", "Why informality still helps"))
    call_command("import", "wordpress", str(export))
    assert counts() == before
    assert set(ArticlePage.objects.values_list("pk", flat=True)) == first_pks
    quiet = ArticlePage.objects.get(title="Quiet Channels: Track-Two Talks")
    assert quiet.body[1].value["text"] == "Why informality still helps"


def test_dry_run_saves_nothing(home, export, capsys):
    before = counts()
    call_command("import", "wordpress", str(export), "--dry-run")
    assert "Would import 2 post(s) and 1 page(s)" in capsys.readouterr().out
    assert counts() == before


def test_truncated_export_is_refused_with_line(home, export):
    data = export.read_bytes()
    cut = data[: data.index(b"<wp:post_name><![CDATA[quiet")]
    export.write_bytes(cut)
    line = cut.count(b"\n") + 1
    before = counts()
    with pytest.raises(CommandError, match=rf"wordpress: the export is truncated at line {line}: "):
        call_command("import", "wordpress", str(export))
    assert counts() == before


def test_entity_bomb_is_refused(home, tmp_path):
    bomb = tmp_path / "bomb.xml"
    lol = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(lol) + "\n]>\n"
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&lol9;</title>'
        "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item></channel></rss>\n"
    )
    before = counts()
    with pytest.raises(CommandError, match=r"declares XML entities .*billion laughs"):
        call_command("import", "wordpress", str(bomb))
    assert counts() == before


def _fail_for(monkeypatch, title):
    """Make saving one post fail after its body images were written (authors come after the body)."""
    from communique.importers import to_wagtail

    real = to_wagtail.document_contributors

    def contributors(doc):
        if doc.meta.title == title:
            raise RuntimeError("disk full")
        return real(doc)

    monkeypatch.setattr(to_wagtail, "document_contributors", contributors)


def test_failing_post_is_skipped_and_reported_the_rest_imports(home, export, monkeypatch, capsys):
    from communique.magazine.models import ArticlePage

    _fail_for(monkeypatch, "Quiet Channels: Track-Two Talks")
    before = counts()
    call_command("import", "wordpress", str(export))
    out = capsys.readouterr()
    assert "skipped post 101 'Quiet Channels: Track-Two Talks': could not be imported: RuntimeError: disk full" in out.err
    assert "post: 1 imported, 0 merged, 2 skipped" in out.out
    assert set(ArticlePage.objects.values_list("title", flat=True)) == {"Museums as Embassies"}
    after = counts()
    # The failed post's inline image (written before it failed) is gone, file and row.
    assert after["images"] == before["images"] and after["image_files"] == before["image_files"]


def test_strict_restores_all_or_nothing(home, export, monkeypatch):
    _fail_for(monkeypatch, "Museums as Embassies")
    before = counts()
    with pytest.raises(CommandError, match=r"wordpress: post 102 'Museums as Embassies' could not be imported: .*--strict"):
        call_command("import", "wordpress", str(export), "--strict")
    assert counts() == before  # no pages, authors, records, images, nor image files


def test_untitled_posts_are_titled_or_skipped_with_reason(home, export, capsys):
    from communique.magazine.models import ArticlePage

    data = export.read_text().replace(
        "\t<item>\n\t\t<title>About us</title>",
        "\t<item><title></title><wp:post_id>150</wp:post_id><wp:status>publish</wp:status>"
        "<wp:post_type>post</wp:post_type><content:encoded><![CDATA[<p>Untitled but with words to read here.</p>]]>"
        "</content:encoded></item>\n"
        "\t<item><title></title><wp:post_id>151</wp:post_id><wp:status>publish</wp:status>"
        "<wp:post_type>post</wp:post_type></item>\n\t<item>\n\t\t<title>About us</title>",
    )
    export.write_text(data)
    call_command("import", "wordpress", str(export))
    err = capsys.readouterr().err
    assert "skipped post 151 '': no title and no text" in err
    page = ArticlePage.objects.get(title__startswith="Untitled but with words")
    assert page.live and "untitled in WordPress" in err


def test_rss_feed_is_not_a_wordpress_export(home, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>y</title></item></channel></rss>')
    with pytest.raises(CommandError, match="is an RSS feed, not a WordPress export"):
        call_command("import", "wordpress", str(feed))


def test_non_xml_is_refused(home, tmp_path):
    junk = tmp_path / "junk.xml"
    junk.write_text("this is not xml at all\nsecond line\n")
    with pytest.raises(CommandError, match=r"wordpress: the export is not well-formed XML at line 1"):
        call_command("import", "wordpress", str(junk))


def test_export_with_wrong_encoding_names_it(home, export):
    data = export.read_bytes().replace(b"Why informality helps", "Why informalit\xe9 helps".encode("cp1252"))
    export.write_bytes(data)
    line = data[: data.index(b"informalit\xe9")].count(b"\n") + 1
    before = counts()
    with pytest.raises(CommandError, match=rf"wordpress: the export is not valid UTF-8 at line {line} \(tried"):
        call_command("import", "wordpress", str(export))
    assert counts() == before


def test_latin1_declared_export_is_read(home, export):
    from communique.magazine.models import ArticlePage

    text = export.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    text = text.replace("Why informality helps", "Why informalité helps")
    export.write_bytes(text.encode("latin-1", errors="strict"))
    call_command("import", "wordpress", str(export))
    quiet = ArticlePage.objects.get(slug="quiet-channels")
    assert quiet.body[1].value["text"] == "Why informalité helps"


def test_entity_text_inside_a_post_is_not_a_declaration(home, export):
    from communique.magazine.models import ArticlePage

    export.write_text(export.read_text().replace(
        "<p>The risk is that nothing", "<p>An essay on XML may quote &lt;!ENTITY x \"y\"&gt; or <code><!ENTITY></code>. The risk is that nothing"))
    call_command("import", "wordpress", str(export))
    assert "<!ENTITY" in ArticlePage.objects.get(slug="quiet-channels").body[-1].value.source.replace("&lt;", "<")


def test_imported_page_is_served_as_a_page_with_its_children(home, export, client):
    """The WordPress page reads at its own address under home, with its text and a list of the
    pages under it; a child page nests under it in the URL."""
    from communique.magazine.models import ContentPage

    data = export.read_text().replace(
        "</channel>",
        "<item><title>Our staff</title><wp:post_id>160</wp:post_id><wp:post_parent>103</wp:post_parent>"
        "<wp:post_name>staff</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type>"
        "<content:encoded><![CDATA[<p>Editors and correspondents.</p>]]></content:encoded></item></channel>",
    )
    export.write_text(data)
    call_command("import", "wordpress", str(export))
    about = ContentPage.objects.get(title="About us")
    staff = ContentPage.objects.get(title="Our staff")
    assert staff.get_parent().pk == about.pk
    response = client.get(about.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>About us</h1>" in html and f'href="{staff.url}"' in html
    response = client.get(staff.url)
    assert response.status_code == 200 and "Editors and correspondents." in response.content.decode()
    assert staff.url.startswith(about.url)

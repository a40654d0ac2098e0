import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from communique.importers.page import extract

from .conftest import counts

FIXTURES = Path(__file__).parent / "fixtures"


def dry_run(path, *extra, capsys):
    call_command("import", "page", str(path), "--dry-run", "--json", *extra)
    return json.loads(capsys.readouterr().out)


def test_seed_dry_run_json(capsys):
    data = dry_run(FIXTURES / "seed_page.txt", capsys=capsys)
    assert set(data) >= {"section", "title", "authors", "author_bio", "body"}
    assert data["section"] == "OpEd"
    assert data["title"] == "New Beginning in Pakistan-Russia Relations"
    assert data["authors"] == ["Farhat Asif"]
    assert data["author_bio"] == "The writer is President, Institute of Peace and Diplomatic Studies"
    assert data["role_line"] == "President, Institute of Peace and Diplomatic Studies"
    body = data["body"]
    assert len(body) == 5
    assert body[0].startswith("Foreign Minister of the Russian Federation")
    assert body[-1].endswith("regional and global challenges.")
    text = "\n".join(body)
    # Breadcrumbs, the repeated headline (an image caption), bio, blurb and chrome are gone.
    for chrome in ("HomeOpEd", "New Beginning in Pakistan-Russia Relations", "The writer is",
                   "premier Public Diplomacy Magazine", "Follow us", "Most Popular"):
        assert chrome not in text


def test_seed_extract_keeps_publisher_blurb_aside():
    page = extract(FIXTURES / "seed_page.txt", lambda m: None)
    assert page.publisher_blurb.startswith("The Diplomatic Insight, Pakistan's premier")


def test_wordpress_theme_html(capsys):
    data = dry_run(FIXTURES / "wordpress_theme.html", capsys=capsys)
    assert data["title"] == "Quiet Channels: Track-Two Talks in the Gulf"
    assert data["section"] == "Analysis"
    assert data["authors"] == ["Mira Castellane"]
    assert data["role_line"] == "Senior fellow at the Lantern Institute for Dialogue"
    assert data["tags"] == ["Gulf", "Mediation"]
    assert data["date"].startswith("2024-02-11")
    assert data["body"][0].startswith("When official talks stall")
    assert "Why informality helps" in data["body"]
    assert data["body"][-1].startswith("The risk is that nothing travels back")
    text = "\n".join(data["body"])
    for chrome in ("Share this", "Facebook", "Related", "Another story", "Great piece", "Most Popular",
                   "All rights reserved", "Follow us", "Home"):
        assert chrome not in text, chrome


def test_news_site_with_json_ld(capsys):
    data = dry_run(FIXTURES / "news_jsonld.html", capsys=capsys)
    assert data["title"] == "Coastal states sign fisheries pact"
    assert data["section"] == "News"
    assert data["authors"] == ["Tomas Reyes-Okafor", "Lena Whitcombe"]
    assert data["tags"] == ["fisheries", "oceans", "treaties"]
    assert data["standfirst"].startswith("A four-year negotiation")
    text = "\n".join(data["body"])
    assert data["body"][0].startswith("Eleven coastal states signed")
    assert "Island states | 38%" in data["body"]
    for chrome in ("cookies", "Share on X", "Advertisement", "Read more", "Ocean summit", "newsletter",
                   "independent newsroom", "By Tomas"):
        assert chrome not in text, chrome


def test_plain_text_scrape_with_by_line(capsys):
    data = dry_run(FIXTURES / "plain_scrape.txt", capsys=capsys)
    assert data["title"] == "Museums as Embassies"
    assert data["section"] == "Culture"
    assert data["authors"] == ["Jane Doe"]
    assert data["date"] == "2022-03-03"
    assert data["author_bio"].startswith("The author is a curator")
    assert len(data["body"]) == 3
    assert not any(p in ("Share this", "Museums as Embassies", "Leave a comment", "Related") for p in data["body"])


def test_section_option_overrides(capsys):
    data = dry_run(FIXTURES / "plain_scrape.txt", "--section", "Books", capsys=capsys)
    assert data["section"] == "Books"


def test_cp1252_page_is_decoded_with_a_warning(capsys):
    call_command("import", "page", str(FIXTURES / "cp1252_page.txt"), "--dry-run", "--json")
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["title"] == "Ajustes en la mesa de negociación"
    assert data["authors"] == ["José Martínez"]
    assert "not valid UTF-8" in captured.err and "cp1252" in captured.err
    assert any("cp1252" in w for w in data["warnings"])


def test_html_declared_charset_is_honoured(tmp_path, capsys):
    page = tmp_path / "latin.html"
    page.write_bytes(
        '<html><head><meta charset="iso-8859-1"><title>x</title></head><body><article><h1>Caf\xe9 diplomacy</h1>'
        '<p class="byline">By Ana L\xf3pez</p><p>Un p\xe1rrafo bastante largo sobre la diplomacia del caf\xe9 y '
        'sus virtudes, que se extiende lo suficiente para ser el cuerpo del art\xedculo sin duda alguna.</p>'
        '</article></body></html>'.encode("latin-1")
    )
    data = dry_run(page, capsys=capsys)
    assert data["title"] == "Café diplomacy"
    assert data["authors"] == ["Ana López"]


@pytest.mark.parametrize("content", [b"", b"   \n\n  \n"])
def test_empty_page_is_refused(tmp_path, content, home):
    page = tmp_path / "empty.html"
    page.write_bytes(content)
    before = counts()
    with pytest.raises(CommandError, match=r"page: 'empty.html' is empty"):
        call_command("import", "page", str(page))
    assert counts() == before


def test_page_with_chrome_only_is_refused(tmp_path, home):
    page = tmp_path / "chrome.html"
    page.write_text("<html><body><nav>Home</nav><h1>Title only</h1><footer>Follow us</footer></body></html>")
    before = counts()
    with pytest.raises(CommandError, match="has no article text"):
        call_command("import", "page", str(page), "--section", "News")
    assert counts() == before


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import", "page", str(tmp_path / "nope.txt"), "--dry-run")


def test_import_seed_saves_article_author_and_section(home, capsys):
    from communique.magazine.models import ArticlePage, Author, SectionPage

    call_command("import", "page", str(FIXTURES / "seed_page.txt"))
    section = SectionPage.objects.get(title="OpEd")
    assert section.is_opinion
    article = ArticlePage.objects.child_of(section).get()
    assert article.live
    assert article.title == "New Beginning in Pakistan-Russia Relations"
    author = Author.objects.get(name="Farhat Asif")
    assert author.role_line == "President, Institute of Peace and Diplomatic Studies"
    assert [a.pk for a in article.authors] == [author.pk]
    kinds = [b.block_type for b in article.body]
    assert kinds == ["paragraph"] * 5
    assert "Most Popular" not in str(article.body[-1].value)

    # Running it again updates the same page rather than adding a second one.
    before = counts()
    call_command("import", "page", str(FIXTURES / "seed_page.txt"))
    assert counts() == before
    assert ArticlePage.objects.count() == 1


def test_byline_with_no_break_space_is_the_same_author(home):
    # Readers other than the page importer (a DOCX's core properties, a WXR's dc:creator) pass the
    # name as written; the one place that creates authors folds its spaces.
    from communique.documents import model as dm
    from communique.importers.to_wagtail import get_or_create_author
    from communique.magazine.models import Author

    first = get_or_create_author(dm.Contributor("Sam\u00a0 Vale\u2009"))
    again = get_or_create_author(dm.Contributor("sam vale"), slug="s-vale")
    assert first.pk == again.pk
    assert list(Author.objects.values_list("name", flat=True)) == ["Sam Vale"]


def test_stored_html_is_sanitised(tmp_path, home):
    from communique.magazine.models import ArticlePage

    page = tmp_path / "evil.html"
    page.write_text(
        "<html><body><article><h1>Careful with inputs</h1><p class='byline'>By Sam Vale</p>"
        "<p onclick='steal()'>A long enough paragraph with <a href='javascript:alert(1)'>a bad link</a>, "
        "<a href='https://ok.example/' style='color:red'>a good link</a>, <em>emphasis</em> and "
        "<img src=x onerror=alert(1)> an image that is not ours, written to be long.</p>"
        "<script>alert(2)</script></article></body></html>"
    )
    call_command("import", "page", str(page), "--section", "News")
    html = ArticlePage.objects.get().body[0].value.source
    assert "onclick" not in html and "javascript" not in html and "script" not in html and "<img" not in html
    assert 'href="https://ok.example/"' in html and "style" not in html
    assert "<i>emphasis</i>" in html


def test_plain_html_without_article_element(tmp_path, capsys):
    """A hand-rolled site: no <article> or <main>, a wrapper whose class mentions a sidebar,
    itemprop author, a breadcrumb list and a bio paragraph in the text."""
    page = tmp_path / "plain.htm"
    long = "This paragraph is written to be long enough to count as article prose for the importer, " * 2
    page.write_text(
        "<html><head><title>Bridges of Paper | Small Site</title></head><body>"
        "<div id='top' class='menu'><a href='/'>Home</a> <a href='/books'>Books</a></div>"
        "<div class='wrap has-sidebar'>"
        "<ol class='breadcrumb'><li>Home</li><li>Reviews</li><li>Bridges of Paper</li></ol>"
        "<h1>Bridges of Paper</h1>"
        "<div class='by'>Written by <span itemprop='author'><span itemprop='name'>Omar Haddad</span></span></div>"
        f"<p>First: {long}</p><p>Second: {long}</p>"
        "<p>The writer is a translator and critic based in Tunis.</p>"
        "<div class='sidebar'><h3>Most Popular</h3><p>Elsewhere</p></div>"
        "</div><div class='footer-note'><p>Share this</p></div></body></html>"
    )
    data = dry_run(page, capsys=capsys)
    assert data["title"] == "Bridges of Paper"
    assert data["section"] == "Reviews"
    assert data["authors"] == ["Omar Haddad"]
    assert data["role_line"] == "Translator and critic based in Tunis"
    assert [p[:6] for p in data["body"]] == ["First:", "Second"]


def test_prose_starting_with_by_is_not_a_byline(tmp_path, capsys):
    page = tmp_path / "by.txt"
    long = "and the long paragraph goes on to explain the point at a length no byline would ever reach. " * 2
    page.write_text(
        "Talks After the Thaw\n\nBy Ruth Adeyemi\n\n"
        f"The first round opened in spring {long}\n\n"
        "By then, the talks had stalled.\n\n"
        "The magazine is a leading monthly magazine on culture, as one delegate put it over lunch.\n\n"
        f"Closing thoughts {long}\n"
    )
    data = dry_run(page, capsys=capsys)
    assert data["authors"] == ["Ruth Adeyemi"]
    assert "By then, the talks had stalled." in data["body"]
    assert any(p.startswith("The magazine is a leading monthly") for p in data["body"])
    assert len(data["body"]) == 4


def test_console_script_dry_run_json(tmp_path):
    """The real `communique` entry point, as a user runs it."""
    import os
    import subprocess
    import sys

    script = Path(sys.executable).with_name("communique")
    if not script.exists():
        pytest.skip(f"the communique console script is not installed next to {sys.executable}")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="communique.settings.test", COMMUNIQUE_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [str(script), "import", "page", str(FIXTURES / "seed_page.txt"), "--dry-run", "--json"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "New Beginning in Pakistan-Russia Relations" and data["authors"] == ["Farhat Asif"]
    bad = tmp_path / "x.docx"
    bad.write_text("not a zip")
    result = subprocess.run([str(script), "import", "docx", str(bad)], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 1
    assert "docx: 'x.docx' is not a DOCX file (not a zip archive)" in result.stderr


def test_saved_complete_page_imports_its_local_images(tmp_path, home, capsys):
    from PIL import Image as PILImage

    from communique.magazine.models import ArticlePage

    folder = tmp_path / "Harbour talks_files"
    folder.mkdir()
    PILImage.new("RGB", (64, 40), (10, 90, 160)).save(folder / "photo.png")
    PILImage.new("RGB", (8, 8), (0, 0, 0)).save(tmp_path.parent / "outside.png")
    long = "A paragraph long enough to be article prose rather than chrome, written for this test page. " * 2
    page = tmp_path / "Harbour talks.html"
    page.write_text(
        "<html><body><article><h1>Harbour talks</h1><p class='byline'>By Ana Lima</p>"
        "<figure><img src='Harbour%20talks_files/photo.png' alt='Boats at the quay'>"
        "<figcaption>Harbour talks</figcaption></figure>"
        f"<p>{long}</p>"
        "<figure><img src='https://cdn.example/remote.jpg' alt='remote'><figcaption>Remote</figcaption></figure>"
        "<p><img src='../outside.png' alt='escape'></p>"
        f"<p>{long}</p></article></body></html>"
    )
    call_command("import", "page", str(page), "--section", "News")
    err = capsys.readouterr().err
    assert "2 image(s) in the page were left out" in err
    article = ArticlePage.objects.get(title="Harbour talks")
    kinds = [b.block_type for b in article.body]
    assert kinds == ["image", "paragraph", "paragraph"]
    image = article.body[0].value
    assert image["alt"] == "Boats at the quay" and image["caption"] == ""  # the headline is no caption
    assert image["image"].width == 64


def test_browser_copy_with_single_newlines_keeps_headline_and_paragraphs():
    """A browser's select-all-and-copy puts each block on its own line with no blank line between
    them; the headline is not glued to the first paragraph (it was, and the page had no title and
    no body), while a hard-wrapped paragraph is still read as one."""
    from communique.importers.page import extract_text

    first = ("The embassy reopened its reading room in March after two years of closure, and within "
             "a week the waiting list for language courses had passed four hundred names.")
    second = ("Officials say the courses matter more than the receptions: the contacts that last are "
              "made in classrooms, not in ballrooms, and they last for decades.")
    headline = "After Two Years Dark, the Embassy Reading Room Opens Its Doors Again"  # over 60 characters
    page = extract_text(f"{headline}\n{first}\n")
    assert page.title == headline
    assert page.paragraphs() == [first]
    page = extract_text(f"{headline}\n{first}\n{second}\n")
    assert page.title == headline and page.paragraphs() == [first, second]
    wrapped = extract_text("A Reading Room Reopens\n\nThe embassy reopened its reading room in March after\n"
                           "two years of closure, and within a week the waiting\nlist had passed four hundred names.\n")
    assert wrapped.paragraphs() == ["The embassy reopened its reading room in March after two years of closure, "
                                    "and within a week the waiting list had passed four hundred names."]

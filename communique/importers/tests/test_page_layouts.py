"""Saved pages in five site layouts and three languages (one right-to-left), plus a browser-copied
text with the site's menu above the article. The fixtures under fixtures/pages/ are small pages
written for these tests in the shape of real sites (news site with a split body, French magazine
with a teaser container first, Urdu opinion page, Spanish blog without any article container,
technical blog with code)."""
import json
from pathlib import Path

import pytest
from django.core.management import call_command

PAGES = Path(__file__).parent / "fixtures" / "pages"


def extract(name, capsys):
    call_command("import", "page", str(PAGES / name), "--dry-run", "--json")
    return json.loads(capsys.readouterr().out)


def test_news_site_split_body_inline_links_authors_roles_pull_quote(capsys):
    data = extract("news_split_body.html", capsys)
    assert data["title"] == "The Telecom Sale That Redrew a Border"  # the headline, not "Analysis | site"
    assert data["section"] == "Analysis"
    assert data["authors"] == ["Amina Haddad", "Tom Reyes"]
    assert data["roles"]["Amina Haddad"] == "Senior fellow at the Institute for Maritime Studies"
    body = data["body"]
    # The chrome-class link keeps its word; both halves of the split body are there.
    assert body[0].startswith("The sale to Verizon is a complicated beast")
    assert body[-1].startswith("That clause, diplomats say")
    assert "Whoever owns the cable owns the conversation." in body
    text = " ".join(body)
    assert "Advertisement" not in text and "Tweet" not in text and "Ports and power" not in text
    assert "premier weekly magazine" not in text and "All rights reserved" not in text


def test_french_magazine_teaser_container_is_not_the_article(capsys):
    data = extract("magazine_teaser_fr.html", capsys)
    assert data["title"] == "Les musées, nouvelles ambassades"
    assert data["authors"] == ["Claire Dubois", "Karim Benali"]
    assert data["section"] == "Culture" and data["date"] == "2023-11-14"
    assert len(data["body"]) == 5 and data["body"][0].startswith("Quand une exposition voyage")
    assert "À lire aussi" not in " ".join(data["body"])


def test_urdu_rtl_page_section_from_breadcrumbs(capsys):
    data = extract("opinion_rtl_ur.html", capsys)
    assert data["title"] == "پاکستان اور روس کے تعلقات میں نیا آغاز"
    assert data["section"] == "اداریہ"  # the crumb after the link to the home page, in any language
    assert data["authors"] == ["فرحت آصف"]
    assert len(data["body"]) == 3 and data["body"][0].startswith("روسی وزیر خارجہ")
    assert "شیئر کریں" not in " ".join(data["body"])


def test_spanish_blog_without_container_uses_the_extraction_library(capsys):
    data = extract("blog_no_container_es.html", capsys)
    assert data["title"] == "La diplomacia del agua en los Andes"
    assert data["authors"] == ["Lucía Fernández"]
    assert len(data["body"]) == 4, data["body"]
    assert data["body"][0].startswith("Los glaciares andinos")
    text = " ".join(data["body"])
    assert "Archivo" not in text and "Entrada anterior" not in text and "Blog de Relaciones" not in text


def test_technical_blog_keeps_code_in_json(capsys):
    data = extract("tech_code.html", capsys)
    assert data["title"] == "Parsing Treaty Texts with Python"
    assert data["authors"] == ["Jonas Weber"]
    assert 'def articles(text):\n    return re.split(r"\\nArticle \\d+\\n", text)' in data["body"][1]


def test_scraped_text_menu_and_comments_line_above_the_article(capsys):
    data = extract("scrape_nav_comments.txt", capsys)
    assert data["title"] == "The Quiet Work of Water Treaties"
    assert data["section"] == "Analysis" and data["authors"] == ["Lucia Marsh"] and data["date"] == "2022-03-03"
    assert len(data["body"]) == 3 and data["body"][0].startswith("Rivers that cross borders")
    assert "Dams and diplomacy" not in " ".join(data["body"])  # the Related list after it is cut


def test_code_block_is_stored_with_its_lines(home, tmp_path):
    from communique.magazine.models import ArticlePage

    call_command("import", "page", str(PAGES / "tech_code.html"), "--section", "Technology")
    page = ArticlePage.objects.get(title="Parsing Treaty Texts with Python")
    assert "def articles(text):" in page.body[1].value.source
    # The footnote: referenced in the text as [^fn1], its text in the footnotes block, no back-link.
    assert "interesting diplomacy starts.[^fn1]" in page.body[3].value.source
    notes = [b for b in page.body if b.block_type == "footnotes"][0].value
    assert notes[0]["label"] == "fn1" and "250,000 agreements" in notes[0]["text"].source
    assert "↩" not in notes[0]["text"].source
    page.body.stream_block.clean(page.body)


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.iterdir()))
def test_every_layout_imports(home, name):
    from communique.magazine.models import ArticlePage

    call_command("import", "page", str(PAGES / name), "--section", "News")
    page = ArticlePage.objects.get()
    assert len(page.body) >= 3
    page.body.stream_block.clean(page.body)


def test_german_essay_footnotes_pull_quote_and_code_survive_the_library_body(capsys):
    """No article container: trafilatura supplies the body. The page's footnotes still become notes
    with their references in the text (not a stray "1"), the pull quote stays a pull quote, the code
    block stays code; the byline "Von … und …" gives two authors with their roles from the bio; the
    share bar, publisher blurb and sidebar are gone; the section comes from the breadcrumb."""
    from communique.documents import model as dm
    from communique.importers.page import extract as extract_page

    page = extract_page(PAGES / "review_footnotes_de.html", lambda m: None)
    assert page.title == "Die leise Macht der Kulturinstitute"
    assert page.section == "Essay"
    assert page.authors == ["Lena Hartmann", "Jonas Weber"]
    assert page.roles == {"Lena Hartmann": "Kulturwissenschaftlerin an der Universität Leipzig",
                          "Jonas Weber": "Korrespondent in Brüssel"}
    refs = [n.note_id for b in page.blocks if isinstance(b, dm.Paragraph) for n in b.children if isinstance(n, dm.NoteRef)]
    assert refs == ["fn1", "fn2"]
    assert dm.plain_text(page.notes["fn1"][0].children).strip().startswith("Das erste Institut im Ausland öffnete 1952")
    body = page.paragraphs()
    assert body[0].endswith("als manche Botschaft.")  # the reference is a note, not the digit "1"
    assert not any("Athen" in p for p in body)  # the notes' text is not read as body
    quotes = [b for b in page.blocks if isinstance(b, dm.PullQuote)]
    assert [q.text for q in quotes] == ["Die wichtigsten Kontakte entstanden nicht auf Empfängen, sondern in Sprachkursen."]
    assert any(isinstance(b, dm.CodeBlock) and "Budget 2024" in b.text for b in page.blocks)
    assert not any(w in " ".join(body) for w in ("Teilen", "Twittern", "Meistgelesen", "Alle Rechte vorbehalten"))
    assert page.publisher_blurb.startswith("Rundschau Diplomatie ist ein unabhängiges Monatsmagazin")
    assert body[-1].startswith("Am Ende bleibt eine einfache Rechnung.")


def test_german_essay_notes_are_stored_as_footnotes(home):
    from communique.magazine.models import ArticlePage

    call_command("import", "page", str(PAGES / "review_footnotes_de.html"))
    page = ArticlePage.objects.get(title="Die leise Macht der Kulturinstitute")
    kinds = [b.block_type for b in page.body]
    assert "footnotes" in kinds and "pull_quote" in kinds
    assert "[^" in page.body[0].value.source or "footnote" in page.body[0].value.source.lower()


def test_headline_is_the_one_the_title_names_not_the_site_greeting(tmp_path):
    """A personal blog whose only <h1> is the site's greeting; the article's headline is an <h2>
    that the page's <title> starts with. The byline carries the author's address in brackets."""
    from communique.importers.page import extract as extract_page

    path = tmp_path / "blog.html"
    path.write_text(
        "<html><head><title>Testing Frontend Code | Code | Ana Ruiz</title>"
        '<meta name="author" content="Ana Ruiz (https://ana.example/)"></head><body>'
        "<header><h1><a href='/'>Hi, I'm Ana.</a></h1></header><main><article><header>"
        "<h2><a href='/code/testing/'>Testing Frontend Code</a></h2></header><section>"
        + "<p>Testing the code that runs in the browser is less common than it should be, and it is easier "
          "than people think once the tools are in place.</p>" * 4
        + "</section></article></main></body></html>", encoding="utf-8")
    page = extract_page(path, lambda m: None)
    assert page.title == "Testing Frontend Code"
    assert page.authors == ["Ana Ruiz"]


@pytest.mark.parametrize("head_title, expected", [
    # The <title> names who the story is about ahead of the visible headline: kept.
    ("Alito and Prelogar: The Sparring Match at the Court | CNN Politics",
     "Alito and Prelogar: The Sparring Match at the Court"),
    # A one-word genre label is not part of the headline.
    ("Analysis: The Sparring Match at the Court | CNN Politics", "The Sparring Match at the Court"),
    # A <title> that says something else leaves the visible headline alone.
    ("Court Watch: A Different Story Entirely | CNN Politics", "The Sparring Match at the Court"),
])
def test_title_kicker_from_the_document_title(tmp_path, head_title, expected):
    from communique.importers.page import extract as extract_page

    path = tmp_path / "story.html"
    path.write_text(
        f"<html><head><title>{head_title}</title></head><body><article>"
        "<h1>The Sparring Match at the Court</h1>"
        + "<p>The justice and the government's lawyer have met across the lectern more often than any "
          "other pair this term, and their exchanges have become a fixture of the argument calendar.</p>" * 4
        + "</article></body></html>", encoding="utf-8")
    assert extract_page(path, lambda m: None).title == expected

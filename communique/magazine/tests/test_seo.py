"""Canonical links, Open Graph / Twitter tags and schema.org JSON-LD, read back from rendered
pages the way a crawler would."""
import json

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from lxml import html as lxml_html

from communique.magazine.seo import jsonld_script

from .test_feeds import build_outreach_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def mag():
    return build_outreach_site()


def head_of(content):
    doc = lxml_html.fromstring(content)
    jsonld = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    meta = {}
    for m in doc.xpath("//meta[@property or @name]"):
        meta.setdefault(m.get("property") or m.get("name"), []).append(m.get("content"))
    canonical = doc.xpath('//link[@rel="canonical"]/@href')
    return doc, jsonld, meta, canonical


def by_type(jsonld, type_):
    found = [d for d in jsonld if d.get("@type") == type_]
    assert found, f"no {type_} in {[d.get('@type') for d in jsonld]}"
    assert all(d["@context"] == "https://schema.org" for d in found)
    return found[0]


def test_opinion_article_is_opinion_news_article(client, mag):
    response = client.get(mag.opinion.url)
    assert response.status_code == 200
    _, jsonld, meta, canonical = head_of(response.content)
    assert canonical == [mag.opinion.get_full_url()]
    article = by_type(jsonld, "OpinionNewsArticle")
    assert not [d for d in jsonld if d.get("@type") == "NewsArticle"]
    assert article["headline"] == "Why dialogue still matters"
    assert article["url"] == mag.opinion.get_full_url()
    assert article["mainEntityOfPage"]["@id"] == mag.opinion.get_full_url()
    assert article["articleSection"] == "OpEd"
    assert article["keywords"] == ["Diplomacy", "South Asia"]
    assert article["datePublished"] == mag.opinion.date.isoformat()
    [author] = article["author"]
    assert author == {
        "@type": "Person",
        "name": "Amina Rahman",
        "url": "http://testserver/authors/amina-rahman/",
        "jobTitle": "President, Institute of Peace and Diplomatic Studies",
        "sameAs": ["https://amina.example.org", "https://x.com/aminar"],
    }
    publisher = article["publisher"]
    assert publisher["@type"] in ("Organization", "NewsMediaOrganization")
    assert publisher["name"] == "The Diplomatic Insight"
    assert publisher["url"] == "http://testserver/"
    assert publisher["logo"]["url"].startswith("http://testserver/")
    assert publisher["sameAs"] == ["https://x.com/diplomaticinsight", "https://facebook.com/dipinsight"]
    assert article["image"][0].startswith("http://testserver/")

    crumbs = by_type(jsonld, "BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "The Diplomatic Insight", mag.home.get_full_url()),
        (2, "OpEd", mag.oped.get_full_url()),
        (3, "Why dialogue still matters", mag.opinion.get_full_url()),
    ]

    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == ["Why dialogue still matters"]
    assert meta["og:url"] == [mag.opinion.get_full_url()]
    assert meta["og:site_name"] == ["The Diplomatic Insight"]
    assert meta["og:image"][0].startswith("http://testserver/")
    assert meta["og:image:width"] == ["1200"] and meta["og:image:height"] == ["630"]
    assert meta["og:image:alt"] == ["Picture for Why dialogue still matters"]
    assert meta["article:section"] == ["OpEd"]
    assert meta["article:tag"] == ["Diplomacy", "South Asia"]
    assert meta["article:author"] == ["http://testserver/authors/amina-rahman/"]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["twitter:site"] == ["@diplomaticinsight"]
    assert meta["twitter:creator"] == ["@aminar"]
    assert meta["twitter:image"] == meta["og:image"]


def test_news_article_is_news_article_with_all_authors(client, mag):
    _, jsonld, meta, _ = head_of(client.get(mag.joint.url).content)
    article = by_type(jsonld, "NewsArticle")
    assert [(a["name"], a.get("jobTitle")) for a in article["author"]] == [
        ("Amina Rahman", "President, Institute of Peace and Diplomatic Studies"),
        ("Tomás Ruiz", "Correspondent in Geneva"),
    ]
    assert "image" not in article  # no lead image
    # Without a lead image the card falls back to the publication's logo, in the small format.
    assert meta["twitter:card"] == ["summary"]


def test_author_page_has_person_and_canonical(client, mag):
    response = client.get("/authors/amina-rahman/")
    assert response.status_code == 200
    _, jsonld, meta, canonical = head_of(response.content)
    assert canonical == ["http://testserver/authors/amina-rahman/"]
    person = by_type(jsonld, "Person")
    assert person["name"] == "Amina Rahman"
    assert person["jobTitle"] == "President, Institute of Peace and Diplomatic Studies"
    assert person["url"] == "http://testserver/authors/amina-rahman/"
    assert not [d for d in jsonld if d["@type"] in ("NewsArticle", "OpinionNewsArticle")]
    assert meta["og:type"] == ["profile"]
    crumbs = by_type(jsonld, "BreadcrumbList")["itemListElement"]
    assert crumbs[-1]["item"] == "http://testserver/authors/amina-rahman/"
    doc = lxml_html.fromstring(response.content)
    feeds = doc.xpath('//link[@rel="alternate"][@type="application/rss+xml"]/@href')
    assert "http://testserver/feeds/author/amina-rahman/rss/" in feeds


def test_home_page_has_organization_and_website(client, mag):
    _, jsonld, meta, canonical = head_of(client.get("/").content)
    assert canonical == [mag.home.get_full_url()]
    org = by_type(jsonld, "NewsMediaOrganization")
    assert org["name"] == "The Diplomatic Insight"
    assert org["logo"]["url"].startswith("http://testserver/")
    assert by_type(jsonld, "WebSite")["url"] == mag.home.get_full_url()
    assert meta["og:type"] == ["website"]


def test_section_page_links_its_feeds(client, mag):
    doc = lxml_html.fromstring(client.get(mag.oped.url).content)
    hrefs = doc.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
    assert "http://testserver/feeds/atom/" in hrefs
    assert "http://testserver/feeds/section/oped/atom/" in hrefs


def test_jsonld_cannot_break_out_of_its_script(client, mag):
    nasty = 'Talks </script><script>alert("x")</script> <!-- & more'
    mag.report.title = nasty
    mag.report.save_revision().publish()
    content = client.get(mag.report.url).content.decode()
    head = content.split("</head>")[0]
    # The only </script> sequences in <head> are the real ends of the JSON-LD scripts.
    assert head.count("</script>") == head.count("<script")
    _, jsonld, meta, _ = head_of(content)
    assert by_type(jsonld, "NewsArticle")["headline"] == nasty
    assert meta["og:title"] == [nasty]


def test_jsonld_script_escapes_markup_characters():
    out = jsonld_script({"a": "</script><!--&\u2028"})
    assert out.startswith('<script type="application/ld+json">') and out.endswith("</script>")
    body = out[len('<script type="application/ld+json">'):-len("</script>")]
    assert "<" not in body and ">" not in body and "&" not in body and "\u2028" not in body
    assert json.loads(body) == {"a": "</script><!--&\u2028"}


def test_tag_accepts_explicit_page_over_context(mag):
    request = RequestFactory().get("/somewhere/", HTTP_HOST="testserver")
    template = Template('{% load seo_tags %}{% seo_metadata page=explicit as seo %}{{ seo.scripts }}'
                        '<link rel="canonical" href="{{ seo.canonical }}">')
    out = template.render(Context({"request": request, "page": mag.home, "explicit": mag.opinion}))
    _, jsonld, _, canonical = head_of(f"<html><head>{out}</head></html>")
    assert canonical == [mag.opinion.get_full_url(request)]
    assert by_type(jsonld, "OpinionNewsArticle")["headline"] == "Why dialogue still matters"


def test_include_with_seo_author(mag):
    from django.template.loader import render_to_string

    request = RequestFactory().get("/x/", HTTP_HOST="testserver")
    out = render_to_string("magazine/includes/seo_head.html", {"seo_author": mag.tomas}, request=request)
    _, jsonld, meta, canonical = head_of(f"<html><head>{out}</head></html>")
    assert canonical == ["http://testserver/authors/tomas-ruiz/"]
    assert by_type(jsonld, "Person")["jobTitle"] == "Correspondent in Geneva"


def test_translated_article_speaks_its_language(client):
    from lxml import etree

    from .factories import build_magazine

    mag = build_magazine(n_articles=2, with_images=False, translate_to=("ur",))
    urdu = mag["translations"]["ur"]["article"]
    response = client.get(urdu.url)
    assert response.status_code == 200
    _, jsonld, meta, canonical = head_of(response.content)
    assert canonical == [urdu.get_full_url()]
    assert "/ur/" in canonical[0]
    article = [d for d in jsonld if d["@type"] in ("NewsArticle", "OpinionNewsArticle")][0]
    assert article["inLanguage"] == "ur"
    assert article["headline"] == urdu.title
    assert meta["og:locale"] == ["ur"]
    crumbs = by_type(jsonld, "BreadcrumbList")["itemListElement"]
    assert crumbs[0]["item"] == mag["translations"]["ur"]["home"].get_full_url()

    # The sitemap reaches translations too, though they sit beside the site's home page.
    def locs(path):
        root = etree.fromstring(client.get(path).content)
        return [u.text for u in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]

    parts = locs("/sitemap.xml")  # the index, then each part it names
    locs = [u for part in parts for u in locs(part.removeprefix("http://localhost"))]
    assert urdu.get_full_url() in locs
    assert mag["articles"][0].get_full_url() in locs

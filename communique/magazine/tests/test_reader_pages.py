"""Every reader page type rendered through the real URL routing: status, landmarks, the content
each page promises (breadcrumb, byline, role line, body blocks, footnotes), pagination, search,
translations with hreflang and right-to-left Urdu."""
import re
from unittest import mock

from django.contrib.staticfiles import finders
from django.test import TestCase

from communique.magazine import views
from communique.magazine.models import ArticlePage, SectionPage
from communique.magazine.tests.factories import build_magazine, translate_page


def h1_count(html):
    return len(re.findall(r"<h1[\s>]", html))


class ReaderPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mag = build_magazine(n_articles=14, translate_to=("ur",))

    def get(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response.content.decode()

    def assertCommonChrome(self, html, lang="en", direction="ltr"):
        self.assertIn(f'<html lang="{lang}" dir="{direction}">', html)
        self.assertEqual(h1_count(html), 1, "exactly one h1")
        self.assertRegex(html, r'<meta name="description" content="[^"]+">')
        self.assertIn('href="#main"', html)
        self.assertIn('<main id="main"', html)
        self.assertIn('<nav class="sections-nav" aria-label=', html)
        self.assertIn('rel="icon"', html)
        self.assertIn("Follow us" if lang == "en" else 'id="footer-follow"', html)  # translated elsewhere: test_i18n
        self.assertIn("https://x.com/example_tdi", html)
        self.assertIn("Pakistan&#x27;s premier public diplomacy magazine", html)

    def test_home(self):
        html = self.get("/")
        self.assertCommonChrome(html)
        lead = self.mag["articles"][0]
        self.assertIn("Lead story", html)
        self.assertIn(lead.title, html)
        for section in self.mag["sections"]:
            self.assertIn(f'href="{section.url}"', html)
            self.assertIn(f">{section.title}</a></h2>", html)

    def test_section_lists_its_articles_newest_first(self):
        section = self.mag["section"]["oped"]
        html = self.get(section.url)
        self.assertCommonChrome(html)
        self.assertIn("<h1>OpEd</h1>", html)
        titles = [a.title for a in section.articles()]
        positions = [html.index(t) for t in titles]
        self.assertEqual(positions, sorted(positions))
        other = self.mag["section"]["news"].articles().first()
        self.assertNotIn(other.title, html)

    def test_section_pagination(self):
        section = self.mag["section"]["oped"]
        articles = list(section.articles())
        self.assertEqual(len(articles), 3)
        with mock.patch.object(SectionPage, "per_page", 2):
            first = self.get(section.url)
            second = self.get(section.url + "?page=2")
            beyond = self.get(section.url + "?page=99")
            junk = self.get(section.url + "?page=abc")
        self.assertIn('aria-label="Pagination"', first)
        self.assertIn('rel="next"', first)
        self.assertIn('href="?page=1" aria-current="page"', first)
        self.assertIn(articles[0].title, first)
        self.assertNotIn(articles[2].title, first)
        self.assertIn(articles[2].title, second)
        self.assertIn('rel="prev"', second)
        self.assertIn(articles[2].title, beyond)  # past the end: the last page, not an error
        self.assertIn(articles[0].title, junk)
        self.assertIn("(page 2)", second)

    def test_article(self):
        article = self.mag["articles"][0]
        html = self.get(article.url)
        self.assertCommonChrome(html)
        # Breadcrumb: Home › Section › Headline, as a labelled nav.
        crumb = re.search(r'<nav class="breadcrumb" aria-label="Breadcrumb">(.*?)</nav>', html, re.S).group(1)
        self.assertEqual(re.findall(r">([^<>]+)</a>", crumb), ["Home", "OpEd", article.title])
        self.assertIn('aria-current="page"', crumb)
        self.assertIn(f"<h1>{article.title}</h1>", html)
        self.assertIn(article.standfirst.replace("“", "“"), html)
        # Byline links to each author's page, in order; the author box has role line and bio.
        first, second = article.authors
        byline = re.search(r'<span class="byline">(.*?)</span>', html, re.S).group(1)
        self.assertIn(f'<a href="/authors/{first.slug}/" rel="author"><bdi>{first.name}</bdi></a>', byline)
        self.assertLess(byline.index(first.name), byline.index(second.name))
        self.assertIn(first.role_line, html)
        self.assertIn("writes on diplomacy and regional affairs", html)
        # Lead image with caption and credit.
        self.assertIn("The foreign ministers in Islamabad.", html)
        self.assertIn('<small class="credit">Photo: TDI</small>', html)
        self.assertIn('alt="Foreign ministers shaking hands"', html)
        # Body blocks.
        self.assertIn("both capitals called it a new chapter", html)
        self.assertIn("<h2>Energy and connectivity</h2>", html)
        self.assertIn('<figure class="pull-quote">', html)
        self.assertIn("<caption>High-level visits</caption>", html)
        self.assertIn('<th scope="col">Year</th>', html)
        self.assertIn('href="https://example.org/press-conference"', html)
        self.assertIn('alt="Delegations at the talks"', html)
        self.assertNotIn("<iframe", html)
        # Footnotes: reference and note link to each other.
        self.assertIn('<sup class="fn-ref"><a href="#fn-1" id="fnref-1"', html)
        self.assertIn('<li id="fn-1">', html)
        self.assertIn('href="#fnref-1"', html)
        self.assertIn('id="fnref-source"', html)
        self.assertNotIn("[^", html)
        # Tags, share links (plain URLs), related articles.
        self.assertIn('href="/tags/diplomacy/" rel="tag"', html)
        self.assertIn("https://www.linkedin.com/sharing/share-offsite/?url=http%3A%2F%2F", html)
        self.assertIn("Related articles", html)
        # No third-party requests: no external scripts, stylesheets or images.
        self.assertNotRegex(html, r'<(script|img)[^>]+src="https?://')
        self.assertNotRegex(html, r'<link[^>]+rel="stylesheet"[^>]+href="https?://')

    def test_article_page_has_one_article_element(self):
        # Related articles are not <article>s, so "the article" is unambiguous for readers and tools.
        html = self.get(self.mag["articles"][0].url)
        self.assertEqual(len(re.findall(r"<article[\s>]", html)), 1)

    def test_not_found_page_uses_the_site_chrome(self):
        html = self.get("/no-such-page/", status=404)
        self.assertCommonChrome(html)
        self.assertIn("<h1>Page not found</h1>", html)

    def test_article_ids_are_unique(self):
        html = self.get(self.mag["articles"][0].url)
        ids = re.findall(r'\sid="([^"]+)"', html)
        self.assertEqual(len(ids), len(set(ids)), [i for i in ids if ids.count(i) > 1])

    def test_page_weight_under_60kb(self):
        html = self.client.get(self.mag["articles"][0].url).content
        css = open(finders.find("css/communique.css"), "rb").read()
        scripts = re.findall(rb'<script[^>]+src="([^"]+)"', html)
        self.assertEqual(scripts, [], "reader pages load no script files")
        self.assertLess(len(html) + len(css), 60 * 1024)

    def test_author_page(self):
        author = self.mag["authors"][0]
        html = self.get(author.get_absolute_url())
        self.assertCommonChrome(html)
        self.assertIn(f"<h1>{author.name}</h1>", html)
        self.assertIn(author.role_line, html)
        theirs = ArticlePage.objects.live().filter(article_authors__author=author, locale__language_code="en")
        for article in theirs:
            self.assertIn(article.title, html)
        not_theirs = ArticlePage.objects.live().exclude(article_authors__author=author).first()
        self.assertNotIn(not_theirs.title, html)

    def test_author_page_pagination(self):
        author = self.mag["authors"][0]
        with mock.patch.object(views, "PER_PAGE", 2):
            html = self.get(author.get_absolute_url() + "?page=2")
        self.assertIn('aria-label="Pagination"', html)
        self.assertIn('href="?page=2" aria-current="page"', html)

    def test_unknown_author_and_tag_are_404(self):
        self.get("/authors/nobody/", status=404)
        self.get("/tags/no-such-tag/", status=404)

    def test_tag_page(self):
        html = self.get("/tags/energy/")
        self.assertCommonChrome(html)
        self.assertIn("<h1>energy</h1>", html)
        tagged = ArticlePage.objects.live().filter(tags__slug="energy", locale__language_code="en")
        self.assertTrue(tagged)
        for article in tagged:
            self.assertIn(article.title, html)
        untagged = ArticlePage.objects.live().exclude(tags__slug="energy").first()
        self.assertNotIn(untagged.title, html)

    def test_search(self):
        html = self.get("/search/?q=Doha")
        self.assertCommonChrome(html)
        # The matching word of the headline is highlighted.
        self.assertIn("Peace Talks in <mark>Doha</mark>: What the Region Expects", html)
        self.assertIn("1 result for", html)
        self.assertIn('value="Doha"', html)
        self.assertNotIn("Trade Corridors", html)
        empty = self.get("/search/")
        self.assertNotIn("result", empty.split("<main", 1)[1].split("</main>", 1)[0].replace("Search articles", ""))
        none = self.get("/search/?q=zzxqvunfindable")
        self.assertIn("No results for", none)

    def test_search_pagination_keeps_the_query(self):
        with mock.patch.object(views, "PER_PAGE", 3):
            html = self.get("/search/?q=standfirst")
        self.assertIn('href="?q=standfirst&amp;page=2"', html)

    def test_search_escapes_the_query(self):
        html = self.get("/search/?q=%3Cscript%3Ealert(1)%3C/script%3E")
        self.assertNotIn("<script>alert(1)", html)
        self.assertIn("&lt;script&gt;", html)

    def test_drafts_are_not_public(self):
        article = self.mag["articles"][1]
        article.unpublish()
        self.get(article.url, status=404)
        self.assertNotIn(f'href="{article.url}"', self.get(article.get_parent().url))
        self.assertNotIn(f'href="{article.url}"', self.get("/search/?q=Shanghai"))

    def test_issue_pages(self):
        html = self.get(self.mag["issue_index"].url)
        self.assertCommonChrome(html)
        self.assertIn(self.mag["issue"].title, html)
        self.assertIn("Volume 15, No. 4", html)
        html = self.get(self.mag["issue"].url)
        self.assertCommonChrome(html)
        titles = [a.title for a in self.mag["articles"][:4]]
        positions = [html.index(t) for t in titles]
        self.assertEqual(positions, sorted(positions), "issue lists articles in print order")

    def test_translations_link_with_hreflang(self):
        article = self.mag["articles"][0]
        urdu = self.mag["translations"]["ur"]["article"]
        self.assertEqual(urdu.translation_key, article.translation_key)
        self.assertTrue(urdu.url.startswith("/ur/"), urdu.url)
        english_html = self.get(article.url)
        urdu_html = self.get(urdu.url)
        for html in (english_html, urdu_html):
            self.assertIn(f'<link rel="alternate" hreflang="en" href="http://localhost{article.url}">', html)
            self.assertIn(f'<link rel="alternate" hreflang="ur" href="http://localhost{urdu.url}">', html)
            self.assertIn('<nav class="language-switcher wrap" aria-label=', html)
            self.assertIn(f'<link rel="alternate" hreflang="x-default" href="http://localhost{article.url}">', html)
        self.assertIn(f'href="{urdu.url}" lang="ur" hreflang="ur" dir="rtl"', english_html)
        # An untranslated page lists only itself and shows no switcher.
        lonely = self.get(self.mag["articles"][3].url)
        self.assertNotIn('hreflang="ur"', lonely)
        self.assertNotIn('aria-label="Languages"', lonely)

    def test_urdu_renders_right_to_left(self):
        urdu = self.mag["translations"]["ur"]["article"]
        html = self.get(urdu.url)
        self.assertCommonChrome(html, lang="ur", direction="rtl")
        self.assertIn(urdu.title, html)
        # The Urdu page's navigation stays in Urdu: its breadcrumb and sections point under /ur/.
        crumb = re.search(r'<nav class="breadcrumb" aria-label="[^"]*">(.*?)</nav>', html, re.S).group(1)
        self.assertIn('href="/ur/"', crumb)
        self.assertIn('href="/ur/oped/"', crumb)
        # Related articles are Urdu only (there are none yet), never the English original.
        self.assertNotIn(self.mag["articles"][4].title, html)
        home = self.get("/ur/")
        self.assertIn('<html lang="ur" dir="rtl">', home)
        self.assertIn(urdu.title, home)

    def test_translate_page_is_idempotent(self):
        again = translate_page(self.mag["articles"][0], "ur")
        self.assertEqual(again.pk, self.mag["translations"]["ur"]["article"].pk)

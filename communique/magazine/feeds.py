"""RSS 2.0 and Atom feeds: the whole site, one section, one author.

Each item carries title, link, description (the standfirst, or with full_text the whole
article as HTML), authors, publication and update dates, categories (section and tags) and the
lead image as an enclosure. A browser (it asks for text/html) gets the items as a page of the
site with a "subscribe" note; feed readers get the XML, which names an XSL stylesheet too.

Feeds live under the language prefixes (/ur/feeds/rss/): they list the active language's articles.
"""
import re

from django.template.loader import render_to_string
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, Stylesheet
from django.utils.translation import get_language
from wagtail.models import Locale, Site

from communique.core.publication import localized_publication

from .seo import absolute, image_info, plain, publication

FEED_LENGTH = 30
ENCLOSURE_SPEC = "width-1200"


# src="/media/…" and href="/oped/…" inside the article HTML: feed readers need whole addresses.
_RELATIVE_ATTR = re.compile(r'(\s(?:src|href|srcset)=")(/[^"]*)"')


@cache_control(public=True, max_age=3600)
def stylesheet(request):
    """The feeds' XSL stylesheet, its note in the active language (it is served under each
    language prefix)."""
    return render(request, "magazine/feed.xsl", {"full_text_url": reverse("feed-rss-full")},
                  content_type="text/xsl; charset=utf-8")


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed
    full_text = False

    @property
    def stylesheets(self):
        # In the active language (/ur/feeds/feed.xsl under /ur/feeds/): the page a browser shows
        # for the feed speaks the feed's language.
        return [Stylesheet(reverse("feed-xsl"), mimetype="text/xsl")]

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
        if self.site is None:
            raise Http404("No site is configured")
        # The channel's description in the feed's language (/ur/feeds/… is served in Urdu).
        self.pub = localized_publication(publication(request), get_language())
        if "text/html" in request.headers.get("Accept", ""):
            # A browser: Chromium shows application/rss+xml as plain text, and it is removing
            # XSLT (version 156 covers XSLT pages with a "being removed" warning), so browsers get
            # the feed as a page of the site; feed readers (no text/html) get the XML.
            response = self.browser_page(request, self.get_object(request, *args, **kwargs))
        else:
            response = super().__call__(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response

    def browser_page(self, request, obj):
        from .queries import with_cards

        items = self.items(obj)
        articles = list(with_cards(items, body=True)) if hasattr(items, "prefetch_related") else list(items)
        return render(request, "magazine/feed_page.html", {
            "feed_title": self.title(obj), "feed_description": self.description(obj),
            "feed_address": absolute(request, request.path), "articles": articles,
            "full_text_url": None if self.full_text else reverse("feed-rss-full"),
        })

    # Feed-level metadata ---------------------------------------------------------------------

    def title(self, obj):
        return self.pub.name

    def description(self, obj):
        return self.pub.tagline or self.pub.name

    def feed_url(self, obj):
        return absolute(self.request, self.request.path)

    def author_name(self, obj):
        return self.pub.name

    def author_email(self, obj):
        return self.pub.email or None

    def feed_copyright(self, obj):
        return f"© {self.pub.name}"

    def get_feed(self, obj, request):
        # Django's Feed reads `language` as a plain attribute, not a per-object method.
        self.language = self.feed_language(obj)
        return super().get_feed(obj, request)

    # Items -----------------------------------------------------------------------------------

    def base_queryset(self):
        from .models import ArticlePage

        return (
            ArticlePage.objects.live()
            .public()
            .select_related("lead_image", "locale")
            .prefetch_related("tags", "article_authors__author")
            .order_by("-date", "-pk")
        )

    def home(self):
        """The site's home page in the active language (the Urdu home under /ur/feeds/)."""
        return self.site.root_page.localized

    def link(self, obj):
        return self.home().get_full_url(self.request) or "/"

    def feed_language(self, obj):
        return self.home().locale.language_code

    def items(self, obj):
        return self.base_queryset().descendant_of(self.home(), inclusive=True)[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        if self.full_text:
            html = render_to_string("magazine/includes/feed_item.html",
                                    {"page": item, "footnote_registry": {}}, request=self.request)

            def whole(match):
                return f'{match.group(1)}{absolute(self.request, match.group(2))}"'

            return _RELATIVE_ATTR.sub(whole, html)
        return plain(item.search_description or item.standfirst or item.first_paragraph, words=0)

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_guid_is_permalink(self, item):
        return True

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.last_published_at or item.date

    def _authors(self, item):
        return [link.author for link in item.article_authors.all()]

    def item_author_name(self, item):
        names = [a.name for a in self._authors(item)]
        return ", ".join(names) if names else self.pub.name

    def item_author_link(self, item):
        from .seo import author_url

        authors = self._authors(item)
        if len(authors) != 1:
            return None
        return author_url(authors[0], self.request) or None

    def item_categories(self, item):
        section = item.get_parent()
        names = [section.title] if section else []
        return names + [t.name for t in item.tags.all()]

    def item_enclosures(self, item):
        from django.utils.feedgenerator import Enclosure

        if item.lead_image is None:
            return []
        info = image_info(item.lead_image, self.request, ENCLOSURE_SPEC)
        if info is None:
            return []
        url, _, _, mime = info
        rendition = item.lead_image.get_rendition(ENCLOSURE_SPEC)
        try:
            length = rendition.file.size
        except (OSError, ValueError):
            length = 0
        return [Enclosure(url, str(length), mime)]


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


class SiteFeed(ArticleFeed):
    pass


class SiteAtomFeed(AtomMixin, SiteFeed):
    pass


class FullTextMixin:
    """The whole article in each item, for readers who read in their feed reader."""

    full_text = True

    def title(self, obj):
        return f"{super().title(obj)} (full text)"


class SiteFullFeed(FullTextMixin, SiteFeed):
    pass


class SiteFullAtomFeed(FullTextMixin, SiteAtomFeed):
    pass


class SectionFeed(ArticleFeed):
    def get_object(self, request, slug):
        from .models import SectionPage

        sections = SectionPage.objects.live().public().filter(slug=slug)
        # Translated sections share a slug: prefer the site's own tree, then the active language.
        section = sections.descendant_of(self.home()).first()
        if section is None:
            try:
                section = sections.filter(locale=Locale.get_active()).first()
            except Locale.DoesNotExist:
                section = None
        if section is None:
            raise Http404(f"No section {slug!r}")
        return section

    def title(self, obj):
        return f"{self.pub.name}: {obj.title}"

    def link(self, obj):
        return obj.get_full_url(self.request)

    def description(self, obj):
        return obj.search_description or obj.intro or f"{obj.title} from {self.pub.name}"

    def feed_language(self, obj):
        return obj.locale.language_code

    def items(self, obj):
        return self.base_queryset().child_of(obj)[:FEED_LENGTH]


class SectionAtomFeed(AtomMixin, SectionFeed):
    pass


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug):
        from .views import _author

        return _author(request, slug)  # the reader's language's translation of the byline, else the original

    def title(self, obj):
        return f"{self.pub.name}: {obj.name}"

    def link(self, obj):
        from .seo import author_url

        return author_url(obj, self.request) or self.home().get_full_url(self.request)

    def description(self, obj):
        return plain(obj.role_line or obj.bio) or f"Articles by {obj.name} in {self.pub.name}"

    def author_name(self, obj):
        return obj.name

    def author_link(self, obj):
        from .seo import author_url

        return author_url(obj, self.request) or None

    def author_email(self, obj):
        return None

    def items(self, obj):
        qs = self.base_queryset().filter(article_authors__author__translation_key=obj.translation_key)
        try:
            qs = qs.filter(locale=Locale.get_active())
        except Locale.DoesNotExist:
            pass
        return qs.distinct()[:FEED_LENGTH]


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    pass

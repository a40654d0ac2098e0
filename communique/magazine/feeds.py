"""RSS 2.0 and Atom feeds: the whole site, one section, one author.

Each item carries title, link, description (the standfirst), authors, publication and update
dates, categories (section and tags) and the lead image as an enclosure.
"""
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from wagtail.models import Locale, Site

from .seo import absolute, image_info, plain, publication

FEED_LENGTH = 30
ENCLOSURE_SPEC = "width-1200"


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
        if self.site is None:
            raise Http404("No site is configured")
        self.pub = publication(request)
        return super().__call__(request, *args, **kwargs)

    # Feed-level metadata ---------------------------------------------------------------------

    def title(self, obj):
        return self.pub.name

    def link(self, obj):
        return self.site.root_page.get_full_url(self.request) or "/"

    def description(self, obj):
        return self.pub.tagline or self.pub.name

    def feed_url(self, obj):
        return self.request.build_absolute_uri(self.request.path)

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

    def feed_language(self, obj):
        return self.site.root_page.locale.language_code

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

    def items(self, obj):
        return self.base_queryset().descendant_of(self.site.root_page)[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return plain(item.search_description or item.standfirst, words=0)

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


class SectionFeed(ArticleFeed):
    def get_object(self, request, slug):
        from .models import SectionPage

        sections = SectionPage.objects.live().public().filter(slug=slug)
        # Translated sections share a slug: prefer the site's own tree, then the active language.
        section = sections.descendant_of(self.site.root_page).first()
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
        from .models import Author

        return get_object_or_404(Author, slug=slug)

    def title(self, obj):
        return f"{self.pub.name}: {obj.name}"

    def link(self, obj):
        from .seo import author_url

        return author_url(obj, self.request) or self.site.root_page.get_full_url(self.request)

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
        return self.base_queryset().filter(article_authors__author=obj).distinct()[:FEED_LENGTH]


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    pass

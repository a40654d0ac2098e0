"""What search engines and social networks read about a page: canonical URL, Open Graph and
Twitter card tags, feed autodiscovery links and schema.org JSON-LD (NewsArticle or
OpinionNewsArticle, Person, Organization, WebSite, BreadcrumbList).

`seo_for(request, page=None, author=None)` gathers it all; the seo_tags template library renders
it (magazine/includes/seo_head.html).
"""
import json
import logging
import re
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from wagtail.models import Page, Site

from communique.core.publication import localized_publication

logger = logging.getLogger(__name__)

SCHEMA = "https://schema.org"
SOCIAL_IMAGE_SPEC = "fill-1200x630"
LOGO_SPEC = "max-600x600"

# The characters that could end a <script> element or open a comment inside it, escaped as JSON
# allows (what django.utils.html.json_script does).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld_script(data):
    """A <script type="application/ld+json"> element whose content cannot break out of it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    # U+2028/2029 are legal in JSON but end lines in older JavaScript parsers.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _site(request):
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).select_related("root_page").first()


def base_url(request=None, site=None):
    """The one address every absolute URL starts with (canonical, share links, sitemap, feeds,
    JSON-LD): the Wagtail Site's hostname and port, the same that Page.get_full_url uses. The
    request's own Host is only a fallback when no Site exists, so one page never mixes two."""
    site = site or _site(request)
    if site is not None:
        return site.root_url
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    from django.conf import settings

    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def absolute(request, url, site=None):
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    if not url.startswith("/"):
        url = "/" + url
    return base_url(request, site) + url


def publication(request):
    from communique.core.models import PublicationSettings

    if request is not None:
        try:
            return PublicationSettings.for_request(request)
        except Exception:  # a request no Site matches (e.g. an unknown host in a test)
            pass
    site = _site(None)
    return PublicationSettings.for_site(site) if site else PublicationSettings()


def image_info(image, request, spec=SOCIAL_IMAGE_SPEC):
    """(absolute URL, width, height, mime type) of a rendition, or None if the file is missing."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition(spec)
    except Exception:
        # A lost original file must not take the page down; the page just has no image tags.
        logger.warning("No %s rendition for image %s", spec, image.pk, exc_info=True)
        return None
    ext = rendition.file.name.rsplit(".", 1)[-1].lower()
    mime = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
            "webp": "image/webp", "avif": "image/avif"}.get(ext, "application/octet-stream")
    return absolute(request, rendition.url), rendition.width, rendition.height, mime


def author_url(author, request=None):
    try:
        return absolute(request, author.get_absolute_url())
    except NoReverseMatch:
        return ""


def x_url(handle):
    handle = (handle or "").strip().lstrip("@")
    return f"https://x.com/{handle}" if handle else ""


def plain(text, words=60):
    text = re.sub(r"\s+", " ", strip_tags(str(text or ""))).strip()
    return Truncator(text).words(words) if words else text


def organization(request, pub=None):
    pub = pub or publication(request)
    site = _site(request)
    data = {
        "@type": "NewsMediaOrganization",
        "name": pub.name,
        "url": absolute(request, "/", site),
    }
    if pub.about:
        data["description"] = plain(pub.about)
    if pub.founded:
        data["foundingDate"] = str(pub.founded)
    if pub.email:
        data["email"] = pub.email
    logo = image_info(pub.logo, request, LOGO_SPEC)
    if logo:
        data["logo"] = {"@type": "ImageObject", "url": logo[0], "width": logo[1], "height": logo[2]}
    if pub.pk:
        same_as = [link.url for link in pub.follow_links.all() if link.network != "rss"]
        if same_as:
            data["sameAs"] = same_as
    return data


def person(author, request):
    data = {"@type": "Person", "name": author.name}
    url = author_url(author, request)
    if url:
        data["url"] = url
    if author.role_line:
        data["jobTitle"] = author.role_line
    if author.bio:
        data["description"] = plain(author.bio)
    portrait = image_info(author.portrait, request, "fill-400x400")
    if portrait:
        data["image"] = portrait[0]
    same_as = [u for u in (author.website, x_url(author.x_handle), author.linkedin) if u]
    if same_as:
        data["sameAs"] = same_as
    return data


def breadcrumbs(request, page=None, trail_end=None):
    """BreadcrumbList from the home page down to `page` (or to trail_end=(name, url) after the
    home page, for views that are not pages). None when there is only one crumb."""
    items = []
    if page is not None:
        # Ancestors as plain pages (a title and a URL are all a crumb needs: no query per type);
        # the page itself as it is, so a preview's unsaved title shows.
        from .queries import ancestors

        for crumb in ancestors(request, page):
            items.append((crumb.title, crumb.get_full_url(request)))
        if page.depth >= 2:
            items.append((page.title, page.get_full_url(request)))
    else:
        site = _site(request)
        if site is not None:
            home = site.root_page.localized.specific
            items.append((home.title, home.get_full_url(request)))
        if trail_end:
            items.append(trail_end)
    if len(items) < 2:
        return None
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url}
            for i, (name, url) in enumerate(items, start=1)
        ],
    }


def article_type(article):
    section = article.section
    return "OpinionNewsArticle" if getattr(section, "is_opinion", False) else "NewsArticle"


def article_jsonld(article, request, pub=None, canonical=None):
    pub = pub or publication(request)
    canonical = canonical or article.get_full_url(request)
    data = {
        "@type": article_type(article),
        "headline": Truncator(article.title).chars(110),
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": article.date.isoformat(),
        "dateModified": (article.updated or article.last_published_at or article.date).isoformat(),
        "inLanguage": article.locale.language_code,
        "isAccessibleForFree": True,
        "author": [person(a, request) for a in article.authors],
        "publisher": organization(request, pub),
    }
    description = article.search_description or article.standfirst or article.first_paragraph
    if description:
        data["description"] = plain(description)
    section = article.section
    if section is not None:
        data["articleSection"] = section.title
    tags = [t.name for t in article.tag_list]
    if tags:
        data["keywords"] = tags
    image = image_info(article.lead_image, request)
    if image:
        data["image"] = [image[0]]
    from communique.research.jsonld import article_about_mentions

    data.update(article_about_mentions(article, request))
    if not data["author"]:
        # Unsigned pieces (editorials) are by the publication itself.
        data["author"] = [{"@type": "Organization", "name": pub.name, "url": data["publisher"]["url"]}]
    return data


@dataclass
class SeoData:
    canonical: str = ""
    title: str = ""
    description: str = ""
    og: list = field(default_factory=list)  # (property, content)
    twitter: list = field(default_factory=list)  # (name, content)
    feeds: list = field(default_factory=list)  # {"type", "title", "url"}
    jsonld: list = field(default_factory=list)  # dicts, each rendered as its own script

    def scripts(self):
        return mark_safe("".join(jsonld_script({"@context": SCHEMA, **d}) for d in self.jsonld))


def _feed_links(request, pub, section=None, author=None):
    links = []

    def add(title, rss_name, atom_name, *args):
        try:
            links.append({"type": "application/rss+xml", "title": f"{title} (RSS)",
                          "url": absolute(request, reverse(rss_name, args=args))})
            links.append({"type": "application/atom+xml", "title": f"{title} (Atom)",
                          "url": absolute(request, reverse(atom_name, args=args))})
        except NoReverseMatch:
            pass

    add(pub.name, "feed-rss", "feed-atom")
    if section is not None:
        add(f"{pub.name}: {section.title}", "section-feed-rss", "section-feed-atom", section.slug)
    if author is not None:
        add(f"{pub.name}: {author.name}", "author-feed-rss", "author-feed-atom", author.slug)
    return links


def seo_for(request, page=None, author=None):
    """Everything for <head> about `page` (any Wagtail page) or, on an author's page, `author`."""
    from .models import ArticlePage, Author, HomePage, SectionPage

    seo = SeoData()
    if isinstance(page, Page):
        page = page.specific
    elif not isinstance(author, Author):
        page = author = None
    # The description, JSON-LD and share text in the page's language (the tagline and About text
    # are translated per language; core.publication.LocalizedPublication).
    language = page.locale.language_code if isinstance(page, Page) else get_language()
    pub = localized_publication(publication(request), language)

    og_type = "website"
    image = None
    image_alt = ""
    section = None
    if page is not None:
        seo.canonical = page.get_full_url(request) or absolute(request, page.get_url(request))
        seo.title = page.seo_title or page.title
        seo.description = plain(
            page.search_description or getattr(page, "standfirst", "") or getattr(page, "first_paragraph", "")
            or getattr(page, "intro", "") or pub.tagline
        )
        crumbs = breadcrumbs(request, page)
        if isinstance(page, ArticlePage):
            og_type = "article"
            section = page.section
            image = image_info(page.lead_image, request)
            image_alt = page.lead_image_alt or (page.lead_image.title if page.lead_image else "")
            seo.jsonld.append(article_jsonld(page, request, pub, seo.canonical))
        elif isinstance(page, HomePage):
            seo.jsonld.append({"@type": "WebSite", "name": pub.name, "url": seo.canonical,
                               "inLanguage": page.locale.language_code})
        elif isinstance(page, SectionPage):
            section = page
        if not isinstance(page, ArticlePage):
            seo.jsonld.append(organization(request, pub))
        if crumbs:
            seo.jsonld.append(crumbs)
    elif author is not None:
        og_type = "profile"
        seo.canonical = author_url(author, request)
        seo.title = author.name
        seo.description = plain(author.role_line or author.bio) or f"Articles by {author.name}"
        image = image_info(author.portrait, request, "fill-400x400")
        image_alt = author.name
        seo.jsonld.append(person(author, request))
        crumbs = breadcrumbs(request, trail_end=(author.name, seo.canonical))
        if crumbs:
            seo.jsonld.append(crumbs)
    else:
        seo.canonical = absolute(request, request.path) if request is not None else ""
        seo.title = pub.name
        seo.description = pub.tagline

    own_image = image is not None
    if image is None and pub.logo_id:
        image = image_info(pub.logo, request, LOGO_SPEC)
        image_alt = pub.name

    og = [("og:type", og_type), ("og:site_name", pub.name), ("og:title", seo.title)]
    if seo.description:
        og.append(("og:description", seo.description))
    if seo.canonical:
        og.append(("og:url", seo.canonical))
    locale = getattr(page, "locale", None)
    if locale is not None:
        og.append(("og:locale", locale.language_code.replace("-", "_")))
    if image:
        og += [("og:image", image[0]), ("og:image:width", str(image[1])),
               ("og:image:height", str(image[2])), ("og:image:type", image[3])]
        if image_alt:
            og.append(("og:image:alt", image_alt))
    if isinstance(page, ArticlePage):
        og.append(("article:published_time", page.date.isoformat()))
        if page.last_published_at:
            og.append(("article:modified_time", page.last_published_at.isoformat()))
        if section is not None:
            og.append(("article:section", section.title))
        og += [("article:author", author_url(a, request) or a.name) for a in page.authors]
        og += [("article:tag", t.name) for t in page.tag_list]
    elif author is not None:
        first, _, last = author.name.rpartition(" ")
        og += [("profile:first_name", first or last), ("profile:last_name", last if first else "")]
    seo.og = [(k, v) for k, v in og if v]

    twitter = [("twitter:card", "summary_large_image" if own_image and og_type == "article" else "summary"),
               ("twitter:title", seo.title)]
    if seo.description:
        twitter.append(("twitter:description", seo.description))
    if image:
        twitter.append(("twitter:image", image[0]))
        if image_alt:
            twitter.append(("twitter:image:alt", image_alt))
    if pub.pk:
        site_x = next((link.url for link in pub.follow_links.all() if link.network == "x"), "")
        handle = site_x.rstrip("/").rsplit("/", 1)[-1] if site_x else ""
        if handle:
            twitter.append(("twitter:site", "@" + handle.lstrip("@")))
    creators = page.authors if isinstance(page, ArticlePage) else ([author] if author else [])
    creator = next((a.x_handle for a in creators if a.x_handle), "")
    if creator:
        twitter.append(("twitter:creator", "@" + creator.strip().lstrip("@")))
    seo.twitter = twitter

    seo.feeds = _feed_links(request, pub, section=section, author=author)
    return seo

"""Template helpers for the reader pages: locale attributes, translations, navigation, footnotes."""
import html
import re

from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.formats import date_format, get_format
from django.utils.translation import get_language, get_language_info, gettext_noop, pgettext

from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from communique.documents.languages import direction_for
from communique.magazine import fragments

register = template.Library()

# A footnote reference as it appears in paragraph HTML. Labels never contain markup, quotes or
# whitespace; the text inside an attribute value cannot match because "[^" does not occur in URLs.
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s<>\"']{1,40})\]")


@register.filter
def footnote_id(label):
    """The id fragment for a footnote label: letters, digits, "-" and "_" only, so any label
    (including one with "&" or non-Latin letters) gives a valid, unambiguous id."""
    label = html.unescape(str(label)).strip()
    cleaned = re.sub(r"[^\w-]+", "-", label, flags=re.UNICODE).strip("-")
    return cleaned or "note"


@register.filter
def footnote_refs(value, registry=None):
    """Turn [^label] in paragraph HTML into a linked superscript.

    `registry` is a dict shared by every paragraph of one article (ArticlePage.get_context puts
    it in the context), so a footnote cited twice gets a distinct id the second time instead of
    a duplicate id; without it, duplicates are only avoided within one paragraph."""
    if not isinstance(registry, dict):
        registry = {}
    source = str(value)

    def replace(match):
        label = html.unescape(match.group(1))
        ident = footnote_id(label)
        registry[ident] = registry.get(ident, 0) + 1
        name = _("Note %(label)s") % {"label": label}
        ref_id = f"fnref-{ident}" if registry[ident] == 1 else f"fnref-{ident}-{registry[ident]}"
        return (
            f'<sup class="fn-ref"><a href="#fn-{escape(ident)}" id="{escape(ref_id)}" '
            f'aria-label="{escape(name)}">{escape(label)}</a></sup>'
        )

    return mark_safe(FOOTNOTE_REF.sub(replace, source))


def _lang_attrs(code):
    try:
        info = get_language_info(code)
        bidi = info["bidi"]
    except KeyError:
        bidi = direction_for(code) == "rtl"
    return {"lang": code, "dir": "rtl" if bidi else "ltr"}


@register.simple_tag(takes_context=True)
def page_lang(context):
    """lang and dir for <html>: the page's own locale, else the active language."""
    page = context.get("page")
    locale = getattr(page, "locale", None)
    code = locale.language_code if locale is not None else (get_language() or "en")
    return _lang_attrs(code)


@register.simple_tag
def lang_attrs(code):
    return _lang_attrs(code)


@register.simple_tag(takes_context=True)
def publication(context, language):
    """The site's PublicationSettings with its tagline, About text and labels in `language` (when
    translated): core.publication.localized_publication."""
    from communique.core.publication import localized_publication

    settings = context.get("settings")
    try:
        pub = settings["core"]["PublicationSettings"] if settings is not None else None
    except (KeyError, TypeError, AttributeError, RuntimeError):  # no request or no site: no settings
        pub = None
    return localized_publication(pub, language)


def _label(context, text):
    pub = context.get("pub")
    return pub.label(text) if text and hasattr(pub, "label") else text


@register.simple_tag(takes_context=True)
def page_translations(context, page=None):
    """Live translations of the page (itself included), each with its language code, name and URL."""
    page = page or context.get("page")
    if not isinstance(page, Page) or not page.pk:
        return []
    request = context.get("request")
    return fragments.per_request(request, f"translations:{page.pk}", lambda: _translations(page, request))


def _translations(page, request):
    from communique.magazine.queries import LINK_FIELDS, reader_pages

    result = []
    for translation in (
        reader_pages().filter(translation_key=page.translation_key).select_related("locale")
        .only(*LINK_FIELDS, "locale__language_code").order_by("locale__pk")
    ):
        url = translation.get_full_url(request) if request else translation.full_url
        if not url:
            continue
        code = translation.locale.language_code
        result.append(
            {
                "page": translation,
                "code": code,
                "name": translation.locale.get_display_name(),
                "url": url,
                "relative_url": translation.get_url(request),
                "is_current": translation.pk == page.pk,
                "is_default": code == settings.LANGUAGE_CODE,
                **{k: v for k, v in _lang_attrs(code).items() if k == "dir"},
            }
        )
    return result


def _site_home(context):
    request = context.get("request")
    page = context.get("page")
    return fragments.per_request(request, f"site_home:{getattr(page, 'pk', None)}", lambda: _find_site_home(context))


def _find_site_home(context):
    """The site's home page in the page's language (or, off a page, the reader's): on a page,
    the page itself or one of its ancestors (read once for the breadcrumbs too); elsewhere one
    query for the translation, not Wagtail's root → locale → translation → specific."""
    from communique.magazine.queries import ancestors
    from communique.magazine.routing import cached_site

    request = context.get("request")
    site = cached_site(request) if request else Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    root = site.root_page
    page = context.get("page")
    locale = getattr(page, "locale", None)
    same_key = (root.specific_class or type(root)).objects.filter(translation_key=root.translation_key)
    if locale is not None:
        found = None
        if isinstance(page, Page) and page.pk and page.path:
            found = next((p for p in [*ancestors(request, page), page]
                          if p.translation_key == root.translation_key and p.locale_id == locale.pk), None)
        found = found or same_key.filter(locale=locale).first()
    else:  # as Page.localized: the reader's language if that translation is live
        try:
            code = get_supported_content_language_variant(get_language() or settings.LANGUAGE_CODE)
        except LookupError:
            code = root.locale.language_code
        found = same_key.filter(locale__language_code=code).live().first()
    return found or root.specific


@register.simple_tag(takes_context=True)
def site_home(context):
    return _site_home(context)


@register.simple_tag(takes_context=True)
def section_nav(context):
    home = _site_home(context)
    if home is None:
        return []
    return fragments.per_request(context.get("request"), f"section_nav:{home.pk}", lambda: _section_nav(home))


def _section_nav(home):
    from communique.magazine.models import SectionPage

    return list(SectionPage.objects.child_of(home).live().public().in_menu().order_by("path")) or list(
        SectionPage.objects.child_of(home).live().public().order_by("path")
    )


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu: the editors' Navigation setting (pages shown in the reader's language), or
    else the sections, the print issues and search. [{"label", "url", "current"}].

    The entries are the same on every page of a site in one language, so they are kept in the
    cache (fragments.get_or_compute, purged with everything else on a publish or a settings
    change); only which one is current is worked out per page."""
    request = context.get("request")
    page = context.get("page")
    home = _site_home(context)
    entries = fragments.get_or_compute(request, "main-menu", (getattr(home, "pk", None),),
                                       lambda: _menu_entries(context, request, home))
    current_pk = getattr(page, "pk", None)
    path = request.path if request is not None else None
    items = []
    for entry in entries:
        if entry["pk"] is not None:
            current = entry["pk"] == current_pk or bool(
                entry["issues_path"] and page.__class__.__name__ == "PrintIssuePage"
                and page.path.startswith(entry["issues_path"]))
        else:
            current = path is not None and path == entry["url"]
        items.append({"label": entry["label"], "url": entry["url"], "current": current})
    return items


def _localized_pages(pages):
    """{pk: the page's live translation in the active language, else the page} (Page.localized
    for a list, in one query)."""
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return {page.pk: page for page in pages}
    keys = {page.translation_key for page in pages if page.locale_id != locale.pk}
    found = {p.translation_key: p for p in Page.objects.filter(translation_key__in=keys, locale=locale, live=True)} if keys else {}
    return {page.pk: page if page.locale_id == locale.pk else found.get(page.translation_key, page) for page in pages}


def _entry(label, url, pk=None, issues_path=None):
    return {"label": str(label), "url": url, "pk": pk, "issues_path": issues_path}


def _menu_entries(context, request, home):
    from django.urls import reverse

    from communique.magazine.models import IssueIndexPage, Navigation

    nav = None
    if request is not None:
        try:
            nav = Navigation.for_request(request)
        except Exception:  # a request no Site matches
            nav = None
    menu = list(nav.menu_items.select_related("link_page")) if nav is not None and nav.pk else []
    if menu:
        entries = []
        localized = _localized_pages([item.link_page for item in menu if item.link_page_id])
        for item in menu:
            if item.link_page_id:
                target = localized[item.link_page.pk]
                if target.live:
                    entries.append(_entry(_label(context, item.label) or target.title, target.get_url(request), target.pk))
            else:
                entries.append(_entry(_label(context, item.label) or item.link_url, item.link_url))
        return entries
    entries = [_entry(section.title, section.get_url(request), section.pk) for section in section_nav(context)]
    if home is not None:
        issues = IssueIndexPage.objects.child_of(home).live().public().first()
        if issues is None and home.locale_id != Locale.get_default().pk:
            default_home = home.get_translation_or_none(Locale.get_default())
            issues = IssueIndexPage.objects.child_of(default_home).live().public().first() if default_home else None
        if issues is not None:
            entries.append(_entry(_("Print issues"), issues.get_url(request), issues.pk, issues.path))
    entries.append(_entry(_("Search"), reverse("magazine:search")))
    return entries


@register.simple_tag(takes_context=True)
def absolute_url(context, page=None):
    page = page or context.get("page")
    request = context.get("request")
    from communique.magazine.seo import absolute

    if page is None:
        return absolute(request, request.get_full_path()) if request else ""
    return page.get_full_url(request) or absolute(request, page.get_url(request))


@register.filter
def author_names(authors):
    """"A, B and C", each name isolated in <bdi>: a Latin name inside an Urdu byline must not
    reorder the date and separators around it."""
    names = [format_html("<bdi>{}</bdi>", a.name) for a in authors]
    if len(names) <= 1:
        return mark_safe("".join(names))
    separator = pgettext("list separator", ", ")
    conjunction = pgettext("between the last two names", "and")
    return mark_safe(escape(separator).join(names[:-1]) + f" {escape(conjunction)} " + names[-1])


# A run of Latin-script words (with the spaces, hyphens, apostrophes and dots between them),
# never starting or ending with punctuation: that belongs to the surrounding right-to-left text.
_LATIN_RUN = re.compile(r"[A-Za-z\u00C0-\u024F0-9]+(?:[ \u00A0'’.\-&/][A-Za-z\u00C0-\u024F0-9]+)*")
_TAG = re.compile(r"(<[^>]*>|&#?[A-Za-z0-9]+;)")  # tags and character references pass through


@register.filter
def isolate_latin(value):
    """In a right-to-left page, wrap English fragments of rich text in <bdi lang="en">, so their
    punctuation stays where the writer put it (e.g. "(Sergey Lavrov)." inside Urdu). Text of a
    left-to-right page is returned as it is."""
    from django.utils.translation import get_language_bidi

    source = str(value)
    if not get_language_bidi() or not re.search(r"[A-Za-z]", source):
        return value
    out = []
    skip = 0  # inside <code>, <bdi>, <script>…: leave alone
    for part in _TAG.split(source):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in {"code", "bdi", "pre", "script", "style", "kbd", "samp"}:
                skip += -1 if part.startswith("</") else 1
            out.append(part)
        elif skip > 0 or not part or _TAG.fullmatch(part):
            out.append(part)
        else:
            out.append(_LATIN_RUN.sub(lambda m: f'<bdi lang="en">{m.group(0)}</bdi>'
                                      if re.search(r"[A-Za-z]", m.group(0)) else m.group(0), part))
    return mark_safe("".join(out))


# The Most Popular window labels come from communique.magazine.popularity.api.WINDOW_LABELS and
# are translated where shown ({% translate list.label %}); listed here so makemessages finds them.
POPULAR_WINDOW_LABELS = (gettext_noop("24 hours"), gettext_noop("7 days"), gettext_noop("All time"))

# Django's own formats where they read naturally; English keeps the magazine's "29 November
# 2026" rather than Django's "Nov. 29, 2026", and Urdu has no format module in Django.
DATE_FORMAT_OVERRIDES = {
    "en": {"DATE_FORMAT": "j F Y", "YEAR_MONTH_FORMAT": "F Y"},
    "ur": {"DATE_FORMAT": "j F Y", "YEAR_MONTH_FORMAT": "F Y"},
}


@register.filter(expects_localtime=True)
def local_date(value, kind="date"):
    """A date in the active language's words and order: {{ d|local_date }} for a day,
    {{ d|local_date:"month" }} for a month and year."""
    if not value:
        return ""
    name = "YEAR_MONTH_FORMAT" if kind == "month" else "DATE_FORMAT"
    lang = (get_language() or "en").lower()
    override = DATE_FORMAT_OVERRIDES.get(lang) or DATE_FORMAT_OVERRIDES.get(lang.split("-")[0]) or {}
    return date_format(value, override.get(name) or get_format(name))


@register.simple_tag
def active_locale_code():
    try:
        return Locale.get_active().language_code
    except Locale.DoesNotExist:
        return get_language() or "en"


@register.filter
def iso_datetime(value):
    """An HTML-valid datetime attribute: whole seconds (the Nu checker rejects microseconds)."""
    if not value:
        return ""
    if hasattr(value, "microsecond"):
        value = value.replace(microsecond=0)
    return value.isoformat()


@register.simple_tag
def responsive_image(image, widths="480,800,1200", sizes="100vw", alt=None, css_class="", loading="lazy"):
    """An <img> with a srcset of distinct widths. Wagtail never upscales, so for a small original
    several "width-N" renditions come out the same size; repeated widths make srcset invalid."""
    if not image:
        return ""
    specs = [f"width-{int(w)}" for w in str(widths).split(",") if w.strip()]
    renditions = image.get_renditions(*specs)
    by_width = {}
    for spec in specs:
        rendition = renditions[spec]
        by_width.setdefault(rendition.width, rendition)
    ordered = [by_width[w] for w in sorted(by_width)]
    largest = ordered[-1]
    alt_text = image.title if alt is None else alt
    attrs = [
        f'src="{escape(largest.url)}"',
        f'width="{largest.width}"',
        f'height="{largest.height}"',
        f'alt="{escape(alt_text)}"',
    ]
    if len(ordered) > 1:
        srcset = ", ".join(f"{escape(r.url)} {r.width}w" for r in ordered)
        attrs.append(f'srcset="{srcset}"')
        attrs.append(f'sizes="{escape(sizes)}"')
    if css_class:
        attrs.append(f'class="{escape(css_class)}"')
    if loading:
        attrs.append(f'loading="{escape(loading)}"')
    return mark_safe(f"<img {' '.join(attrs)}>")


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: render into a variable, so a template can leave
    out a landmark (e.g. an empty sidebar) when an include produced nothing."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context):
        vary = []
        for expression in self.vary:
            value = expression.resolve(context)
            vary.append(value.pk if hasattr(value, "_meta") else value)  # a model instance: its pk
        html = fragments.get_or_render(context.get("request"), self.name, vary, lambda: self.nodelist.render(context))
        return mark_safe(html)


@register.tag
def fragment(parser, token):
    """{% fragment "name" var … %}…{% endfragment %}: the rendered HTML kept in Django's cache until
    the next publish, unpublish, move, delete or settings change (see magazine.fragments), keyed by
    the language, the host and the values given. Only for what is the same for every reader."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('usage: {% fragment "name" [value …] %}…{% endfragment %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]])


@register.simple_tag
def popular_vary():
    """What Most Popular's fragment key follows besides the page: each flush that writes views, and
    the clock (the 24-hour window moves) in steps of RANKING_CACHE_SECONDS."""
    import time

    from communique.magazine.popularity.buffer import popularity_setting
    from communique.magazine.popularity.flush import ranking_generation

    step = max(1, int(popularity_setting("RANKING_CACHE_SECONDS", 60)))
    return f"{ranking_generation()}:{int(time.time() // step)}"

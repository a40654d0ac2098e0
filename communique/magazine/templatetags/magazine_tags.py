"""Template helpers for the reader pages: locale attributes, translations, navigation, footnotes."""
import html
import re

from django import template
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.formats import date_format, get_format
from django.utils.translation import get_language, get_language_info, gettext_noop, pgettext

from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from communique.documents.languages import direction_for

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
def page_translations(context, page=None):
    """Live translations of the page (itself included), each with its language code, name and URL."""
    page = page or context.get("page")
    if not isinstance(page, Page) or not page.pk:
        return []
    request = context.get("request")
    result = []
    for translation in (
        page.get_translations(inclusive=True).live().public().select_related("locale").order_by("locale__pk")
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
    site = Site.find_for_request(request) if request else Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    page = context.get("page")
    root = site.root_page
    locale = getattr(page, "locale", None)
    if locale is not None and root.locale_id != locale.pk:
        root = root.get_translation_or_none(locale) or root
    else:
        root = root.localized
    return root.specific


@register.simple_tag(takes_context=True)
def site_home(context):
    return _site_home(context)


@register.simple_tag(takes_context=True)
def section_nav(context):
    from communique.magazine.models import SectionPage

    home = _site_home(context)
    if home is None:
        return []
    return list(SectionPage.objects.child_of(home).live().public().in_menu().order_by("path")) or list(
        SectionPage.objects.child_of(home).live().public().order_by("path")
    )


@register.simple_tag(takes_context=True)
def absolute_url(context, page=None):
    page = page or context.get("page")
    request = context.get("request")
    if page is None:
        return request.build_absolute_uri() if request else ""
    return page.get_full_url(request) or (request.build_absolute_uri(page.get_url(request)) if request else "")


@register.filter
def author_names(authors):
    names = [a.name for a in authors]
    if len(names) <= 1:
        return "".join(names)
    separator = pgettext("list separator", ", ")
    conjunction = pgettext("between the last two names", "and")
    return separator.join(names[:-1]) + f" {conjunction} " + names[-1]


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

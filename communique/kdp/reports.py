"""The kit's HTML reports, rendered from templates in kdp/templates/kdp/ with a standalone Django
template Engine (no settings, no request: the kit is engine code run by the CLI and by jobs).
Values are formatted here (lengths rounded, yes/no, prices as strings) so a template never
shows a float like 7.08333333333333.

    metadata_html(meta)                 metadata.html: every KDP field, in KDP's order
    upload_steps_html(meta, prices)     upload-steps.html: the printable "Upload to KDP, step by step"
    prices_html(prices, md)             prices.html
    preflight_html(report)              preflight.html (official KDP links, no internal references)
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import facts

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Official KDP help pages only (kdp-facts.md); shown as links in the reports.
LINKS = {
    "ebook_pricing": "https://kdp.amazon.com/en_US/help/topic/G200634500",
    "ebook_royalties": "https://kdp.amazon.com/en_US/help/topic/G200644210",
    "printing_cost": "https://kdp.amazon.com/en_US/help/topic/G201834340",
    "paperback_cover": "https://kdp.amazon.com/en_US/help/topic/G201953020",
    "ebook_cover": "https://kdp.amazon.com/en_US/help/topic/G6GTK3T3NUHKLEFX",
    "print_pdf": "https://kdp.amazon.com/help/topic/GYEKAVKMSE23PFTM",
    "isbn": "https://kdp.amazon.com/en_US/help/topic/G201834170",
    "print_options": "https://kdp.amazon.com/en_US/help/topic/G201834180",
    "submission": "https://kdp.amazon.com/en_US/help/topic/G201857950",
    "title_rules": "https://kdp.amazon.com/en_US/help/topic/GW7J4WEKBVU25YEC",
    "select": "https://kdp.amazon.com/en_US/help/topic/GD9PMU58BV24QFZ7",
}
AI_WARNING = ("KDP asks whether the book contains AI-generated content (text, images or translations). "
              "This book's answer is not set: add ai_content: none, some or entire to the manuscript's "
              "front matter (or the portal's form) and answer the same in KDP before publishing.")
AI_ANSWERS = {"none": "No AI-generated content", "some": "Some sections AI-generated",
              "entire": "The entire work AI-generated"}


@lru_cache(maxsize=1)
def _engine():
    from django.template import Engine

    return Engine(dirs=[str(TEMPLATES)], autoescape=True)


def _strings(value):
    """Numbers as text before rendering: Django localises numbers through settings, which engine
    code (CLI, jobs) may run without; the reports choose their own formats anyway."""
    from decimal import Decimal

    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strings(v) for v in value]
    return value


def render(name: str, context: dict) -> str:
    from django.template import Context

    return _engine().get_template(name).render(Context(_strings(context), autoescape=True))


# ---- formatting ---------------------------------------------------------------------------


def inches(value) -> str:
    """7.08333333333333 → '7.083 in' (three decimals are a hundredth of a millimetre's worth)."""
    if value is None:
        return ""
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return f"{text} in"


def yes_no(value) -> str:
    return "yes" if value else "no"


def _official_links(source: str) -> list[str]:
    return [u.rstrip(".,;)") for u in re.findall(r"https?://kdp\.amazon\.com[^\s;,)]*", source or "")]


def _plain_source(source: str) -> str:
    """A source without internal references ("sheet §3.2") or KDP links (those are shown as links)."""
    text = re.sub(r"\((?:kdp-facts |sheet )?§[\d.]+\)", "", source or "")
    text = re.sub(r"https?://kdp\.amazon\.com\S*", "", text)
    return re.sub(r"\s*;\s*;\s*|^\s*;\s*|\s*;\s*$", "", text).strip(" ;")


# ---- metadata.html ----------------------------------------------------------------------


def warnings_for(meta: dict) -> list[str]:
    out = []
    if not meta.get("ai_generated_content"):
        out.append(AI_WARNING)
    return out


def _translation_fields(meta) -> list:
    original = meta.get("original_language") or {}
    return [("Original language (translated from)", f"{original.get('name')} ({original.get('code')})"),
            ("AI-generated translation", _ai_translation(meta.get("ai_generated_translation")) or
             "NOT SET — answer it before publishing")]


def _ai_translation(answer) -> str:
    if not answer:
        return ""
    words = {"none": "No: translated by people", "some": "Yes: some sections machine translated",
             "entire": "Yes: the entire work machine translated"}.get(answer.get("answer"), answer.get("answer"))
    return words + (f" — {answer['detail']}" if answer.get("detail") else "")


def _contributors(meta) -> list[str]:
    return [f"{c.get('name')} — {c.get('role')}" for c in meta.get("contributors") or []]


def _trim(paperback: dict) -> str:
    trim = (paperback or {}).get("trim") or {}
    if not trim:
        return ""
    return f"{inches(trim.get('width_in'))[:-3]} × {inches(trim.get('height_in'))}"


def metadata_fields(meta: dict) -> list[dict]:
    """(label, value) in the order of KDP's eBook and paperback forms."""
    lang = meta.get("language") or {}
    series = meta.get("series") or {}
    audience = meta.get("primary_audience") or {}
    ebook, paperback = meta.get("ebook") or {}, meta.get("paperback") or {}
    layout = meta.get("layout") or {}
    ages = [audience.get("reading_age_min"), audience.get("reading_age_max")]
    fields = [
        ("Language", f"{lang.get('name')} ({lang.get('code')})" if lang else ""),
        ("Book title", meta.get("title")),
        ("Subtitle", meta.get("subtitle")),
        ("Series", f"{series.get('name')}" + (f", number {series['number']}" if series.get("number") else "")
         if series else ""),
        ("Edition number", meta.get("edition_number")),
        ("Author and contributors", _contributors(meta)),
        ("Description", None),
        ("Publishing rights", "Public domain work" if meta.get("publishing_rights") == "public_domain"
         else "I own the copyright and I hold the necessary publishing rights"),
        ("Primary audience: sexually explicit images or title", yes_no(audience.get("sexually_explicit"))),
        ("Primary audience: reading age", " – ".join(str(a) for a in ages if a is not None)),
        ("Primary marketplace", meta.get("primary_marketplace")),
        ("Categories", list(meta.get("categories") or [])),
        ("Keywords (7 slots)", [k for k in meta.get("keywords") or [] if k]),
        ("Publisher (imprint)", meta.get("publisher")),
        ("Publication date", meta.get("publication_date")),
        ("Low-content book", yes_no(meta.get("low_content"))),
        ("AI-generated content", AI_ANSWERS.get(meta.get("ai_generated_content") or "", "")),
        *(_translation_fields(meta) if meta.get("original_language") else []),
        ("§Kindle eBook", None),
        ("eBook ISBN", ebook.get("isbn")),
        ("eBook list price (primary store)", ebook.get("price_usd")),
        ("KDP Select", yes_no(ebook.get("kdp_select"))),
        ("§Paperback", None),
        ("Paperback ISBN", paperback.get("isbn")),
        ("Trim size", _trim(paperback)),
        ("Ink and paper", {"white": "Black ink and white paper", "cream": "Black ink and cream paper"}.get(
            paperback.get("paper"), paperback.get("paper"))),
        ("Bleed", yes_no(paperback.get("bleed"))),
        ("Cover finish", paperback.get("cover_finish")),
        ("Paperback list price (primary store)", paperback.get("price_usd")),
        ("§Layout computed for this kit", None),
        ("Copyright line", meta.get("rights_line")),
        ("Page count of this kit's interior", layout.get("pages")),
    ]
    margins = layout.get("margins_in") or {}
    if margins:
        fields.append(("Interior margins (inside, outside, top, bottom)", ", ".join(
            inches(margins.get(k)) for k in ("gutter_in", "outside_in", "top_in", "bottom_in"))))
    cover = layout.get("cover") or {}
    if cover.get("width_in"):
        fields.append(("Full-wrap cover size", f"{inches(cover['width_in'])[:-3]} × {inches(cover.get('height_in'))}"))
    out = []
    section = "Details (eBook and paperback)"
    for label, value in fields:
        if label.startswith("§"):
            section = label[1:]
            continue
        if label == "Description":
            out.append({"label": label, "value": "below" if meta.get("description_html") else ""})
        elif isinstance(value, list):
            out.append({"label": label, "entries": value, "value": ""})
        else:
            out.append({"label": label, "value": "" if value is None else str(value)})
        out[-1]["section"] = section
    return out


def metadata_html(meta: dict) -> str:
    description = meta.get("description_html") or ""
    return render("kdp/metadata.html", {
        "title": meta.get("title") or "", "fields": metadata_fields(meta), "warnings": warnings_for(meta),
        "description_html": description, "description_length": f"{len(description):,}",
        "description_max": f"{facts.DESCRIPTION_MAX.value:,}",
    })


# ---- upload-steps.html -------------------------------------------------------------------


def _step(field, value="", note="", link=""):
    return {"field": field, "value": "" if value is None else str(value), "note": note, "link": link}


def upload_steps(meta: dict, prices: dict | None = None) -> list[dict]:
    by_label = {f["label"]: f for f in metadata_fields(meta)}

    def val(label):
        f = by_label.get(label) or {}
        return "; ".join(f["entries"]) if f.get("entries") else f.get("value", "")

    prices = prices or {}
    ebook_prices = "; ".join(f"{r['domain']} {r['currency']} {r['list_price']}" for r in prices.get("ebook") or [])
    paper_prices = "; ".join(f"{r['domain']} {r['currency']} {r['list_price']}" for r in prices.get("paperback") or [])
    details = [
        _step("Language", val("Language")),
        _step("Book Title", val("Book title"), "Exactly as on the cover; the same in both formats.", LINKS["title_rules"]),
        _step("Subtitle", val("Subtitle")),
        _step("Series", val("Series")),
        _step("Edition Number", val("Edition number")),
        _step("Author and Contributors", val("Author and contributors"), "In this order."),
        _step("Description", "copy the HTML from metadata.html (Description HTML to paste)"),
        _step("Publishing Rights", val("Publishing rights")),
        _step("Primary Audience", f"sexually explicit: {val('Primary audience: sexually explicit images or title')}; "
                                  f"reading age: {val('Primary audience: reading age') or 'leave empty'}"),
        _step("Primary Marketplace", val("Primary marketplace")),
        _step("Categories", val("Categories"), "Up to three."),
        _step("Keywords", val("Keywords (7 slots)"), "One per box."),
    ]
    ai = val("AI-generated content")
    parts = [
        {"title": "Kindle eBook — 1. Details", "steps": details},
        {"title": "Kindle eBook — 2. Content", "steps": [
            _step("Manuscript", "ebook.epub", "Upload the EPUB from this kit.", LINKS["submission"]),
            _step("Kindle eBook Cover", "ebook-cover.jpg", "Choose “Upload a cover you already have”.",
                  LINKS["ebook_cover"]),
            _step("AI-Generated Content", ai or "NOT SET — answer it before publishing"),
            *([_step("AI-Generated Content: translations", val("AI-generated translation"),
                     "Derived from the translation's history, segment by segment.")]
              if meta.get("ai_generated_translation") else []),
            _step("Kindle eBook ISBN", val("eBook ISBN") or "leave empty (KDP assigns an ASIN)"),
            _step("Publisher", val("Publisher (imprint)")),
        ]},
        {"title": "Kindle eBook — 3. Pricing", "steps": [
            _step("KDP Select Enrollment", val("KDP Select"), "", LINKS["select"]),
            _step("Territories", "All territories (worldwide rights)"),
            _step("Primary Marketplace", val("Primary marketplace")),
            _step("Royalty and Pricing", ebook_prices or val("eBook list price (primary store)"),
                  "The prices in prices.html, the ones the preflight checked.", LINKS["ebook_pricing"]),
        ]},
        {"title": "Paperback — 1. Details", "steps": [dict(s) for s in details]},
        {"title": "Paperback — 2. Content", "steps": [
            _step("Print ISBN", val("Paperback ISBN") or "get a free KDP ISBN", "", LINKS["isbn"]),
            _step("Publication Date", val("Publication date")),
            _step("Print Options: ink and paper", val("Ink and paper"), "", LINKS["print_options"]),
            _step("Print Options: trim size", val("Trim size")),
            _step("Print Options: bleed", "Bleed (PDF only)" if val("Bleed") == "yes" else "No bleed"),
            _step("Print Options: cover finish", val("Cover finish")),
            _step("Manuscript", "interior.pdf", f"{val('Page count of this kit’s interior') or ''}", LINKS["print_pdf"]),
            _step("Book Cover", "cover.pdf", "Choose “Upload a cover you already have” (full wrap: "
                  f"{val('Full-wrap cover size')}).", LINKS["paperback_cover"]),
            _step("AI-Generated Content", ai or "NOT SET — answer it before publishing"),
            *([_step("AI-Generated Content: translations", val("AI-generated translation"),
                     "Derived from the translation's history, segment by segment.")]
              if meta.get("ai_generated_translation") else []),
            _step("Book Preview", "open the previewer and check every page"),
        ]},
        {"title": "Paperback — 3. Rights & Pricing", "steps": [
            _step("Territories", "All territories (worldwide rights)"),
            _step("Primary Marketplace", val("Primary marketplace")),
            _step("Pricing, royalty and distribution", paper_prices or val("Paperback list price (primary store)"),
                  "The prices in prices.html, the ones the preflight checked.", LINKS["printing_cost"]),
        ]},
    ]
    pages = val("Page count of this kit's interior")
    for step in parts[4]["steps"]:
        if step["field"] == "Manuscript":
            step["note"] = f"{pages} pages." if pages else ""
    return parts


def upload_steps_html(meta: dict, prices: dict | None = None) -> str:
    return render("kdp/upload_steps.html", {"title": meta.get("title") or "", "parts": upload_steps(meta, prices),
                                            "warnings": warnings_for(meta)})


def bar_chart(rows: list[dict], title: str) -> str:
    """An inline SVG: one bar per marketplace, royalty per sale in USD."""
    data = [(r["domain"], float(r["royalty_usd"])) for r in rows if r.get("royalty_usd") is not None]
    top = max([v for _, v in data] + [0.01])
    bar_h, gap, label_w, chart_w = 22, 8, 150, 420
    bars = []
    for i, (label, value) in enumerate(data):
        y = 10 + i * (bar_h + gap)
        w = max(0.0, value) / top * chart_w
        bars.append({"label": label, "y": y, "text_y": y + 16, "w": f"{w:.1f}", "value_x": f"{label_w + w + 6:.1f}",
                     "value": f"{value:.2f}"})
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return render("kdp/chart.svg", {"bars": bars, "title": title, "id": f"chart-{slug}", "bar_h": bar_h,
                                    "label_x": label_w - 6, "bar_x": label_w, "width": label_w + chart_w + 80,
                                    "height": len(data) * (bar_h + gap) + 30})


# ---- prices.html --------------------------------------------------------------------------


def prices_html(prices: dict, md, charts: tuple[str, str] = ("", "")) -> str:
    from django.utils.safestring import mark_safe

    return render("kdp/prices.html", {
        "title": md.title, "prices": prices, "primary": md.primary_marketplace or "US",
        "ebook": prices.get("ebook") or [], "paperback": prices.get("paperback") or [],
        "ebook_chart": mark_safe(charts[0]), "paperback_chart": mark_safe(charts[1]), "links": LINKS,
    })


# ---- preflight.html -----------------------------------------------------------------------

_LABEL = {"fail": "Fix", "verify": "Verify", "pass": "OK"}


def preflight_html(report) -> str:
    checks = [{"status": c.status, "label": _LABEL[c.status], "message": c.message, "rule_id": c.rule_id,
               "links": _official_links(c.source), "other": _plain_source(c.source)} for c in report.by_status()]
    return render("kdp/preflight.html", {"title": report.title, "status": report.status,
                                         "label": _LABEL[report.status], "counts": report.counts(),
                                         "checks": checks})

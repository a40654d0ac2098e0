"""Preflight: every KDP rule the kit can check before upload, as plain-language checks.

Each ``check_*`` function returns a list of :class:`~communique.kdp.report.Check`;
:func:`preflight` runs all that the inputs allow and returns a :class:`Report`.
Rule ids are stable ("interior.gutter", "cover.barcode", ...) so the web layer can link help.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

from . import facts, pricing
from .description import sanitize_description, tags_used
from .geometry import CoverElement, Margins, Trim, cover_size, cover_zones, interior_page_size, margin_shortfalls
from .isbn import ISBNError, normalize_isbn
from .languages import language_name, normalize_language
from .metadata import BookMetadata
from .report import Check, Report, sources, status_for, status_over_readings

D = Decimal


def _in(value: Decimal) -> str:
    """0.5 in, 0.625 in, 12.9256 in: as short as the figure allows."""
    text = f"{Decimal(value).quantize(Decimal('0.0001')).normalize():f}"
    return f"{text} in"


def _list(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- metadata --------------------------------------------------------------------------


def check_metadata(meta: BookMetadata) -> list[Check]:
    out: list[Check] = []
    f = facts.TITLE_SUBTITLE_MAX
    length = len(meta.title) + len(meta.subtitle)
    out.append(Check("metadata.title", status_for(bool(meta.title.strip())),
                     "The book has a title." if meta.title.strip() else "The book needs a title.", facts.SRC_TITLE))
    out.append(Check("metadata.title_length", status_for(length <= f.value, f),
                     f"The title and subtitle together are {length} characters"
                     + (f", within KDP's limit of {f.value}." if length <= f.value
                        else f", but KDP allows at most {f.value}."), f.source))
    out += _check_description(meta.description_html)
    out += _check_keywords(meta.keywords)
    f = facts.CATEGORIES_MAX
    n = len(meta.categories)
    out.append(Check("metadata.categories", status_for(n <= f.value, f),
                     f"You chose {n} categor{'y' if n == 1 else 'ies'}"
                     + ("." if n <= f.value else f", but KDP allows at most {f.value} per format."), f.source))
    out += check_isbns(meta.isbn_ebook, meta.isbn_paperback, paperback=meta.trim is not None)
    out += _check_contributors(meta)
    return out


def _check_description(raw: str) -> list[Check]:
    f = facts.DESCRIPTION_MAX
    clean = sanitize_description(raw)
    out = [Check("metadata.description_length", status_for(clean.length <= f.value, f),
                 f"The description is {clean.length} characters including HTML tags"
                 + (f", within the limit of {f.value}." if clean.length <= f.value
                    else f", so cut {clean.length - f.value} to reach KDP's limit of {f.value}."), f.source)]
    t = facts.DESCRIPTION_TAGS
    if clean.changes:
        # The kit uploads the cleaned copy, so this passes; the author still learns what changed.
        msg = "The description was cleaned for Amazon: " + " ".join(clean.changes)
    else:
        msg = "The description uses only formatting that Amazon shows."
    out.append(Check("metadata.description_tags", status_for(not (tags_used(clean.html) - t.value), t), msg, t.source))
    return out


def _check_keywords(keywords: Sequence[str]) -> list[Check]:
    fmax, flen = facts.KEYWORDS_MAX, facts.KEYWORD_MAX_CHARS
    out = [Check("metadata.keywords_count", status_for(len(keywords) <= fmax.value, fmax),
                 f"You gave {len(keywords)} keywords"
                 + ("." if len(keywords) <= fmax.value else f", but KDP has only {fmax.value} keyword slots."),
                 fmax.source)]
    long = [k for k in keywords if len(k) > flen.value]
    out.append(Check("metadata.keywords_length", status_for(not long, flen),
                     f"Every keyword fits in {flen.value} characters." if not long else
                     f"These keywords are longer than {flen.value} characters: {_list([repr(k) for k in long])}.",
                     flen.source))
    return out


def check_isbns(isbn_ebook: str | None, isbn_paperback: str | None, *, paperback: bool = True) -> list[Check]:
    """Checksums, and that the eBook does not reuse the paperback's ISBN (KDP, G201834170)."""
    out: list[Check] = []
    norm: dict[str, str] = {}
    for label, value in (("eBook", isbn_ebook), ("paperback", isbn_paperback)):
        rule = f"isbn.{label.lower()}"
        if not value:
            if label == "paperback" and paperback:
                out.append(Check(rule, "pass", "No paperback ISBN is given, so KDP will offer a free one "
                                 "(the imprint then reads \"Independently published\").", facts.SRC_ISBN))
            continue
        try:
            norm[label] = normalize_isbn(value)
            out.append(Check(rule, "pass", f"The {label} ISBN {norm[label]} is valid.", "ISO 2108 check digit"))
        except ISBNError as exc:
            out.append(Check(rule, "fail", f"The {label} ISBN is not valid: {exc}.", "ISO 2108 check digit"))
    if len(norm) == 2:
        same = norm["eBook"] == norm["paperback"]
        f = facts.ISBN_DISTINCT_PER_FORMAT
        out.append(Check("isbn.distinct", status_for(not same, f),
                         "The eBook and the paperback have different ISBNs." if not same else
                         "The eBook and the paperback use the same ISBN; each format needs its own.", f.source))
    return out


def _check_contributors(meta: BookMetadata) -> list[Check]:
    f = facts.CONTRIBUTOR_ROLES
    bad = [f"{c.name} ({c.role})" for c in meta.contributors if c.role not in f.value]
    if not meta.contributors:
        return [Check("metadata.contributors", "fail", "The book names no author.", f.source)]
    if bad:
        msg = f"KDP does not offer the role given for {_list(bad)}; its roles are {_list(list(f.value))}."
    else:
        msg = "Every contributor has a role KDP offers."
    if f.needs_verify:
        msg = msg[:-1] + f" (our list of KDP's roles dates from {f.note}, so check it)."
    return [Check("metadata.contributor_roles", status_for(not bad, f), msg, f.source)]


def check_ai_content(meta) -> Check:
    f = facts.AI_CONTENT_QUESTION
    if meta.ai_content is None:
        return Check("metadata.ai_content", "verify", "KDP asks whether the book has AI-generated content (text, "
                     "images, translations); this book does not say. Set ai_content to none, some or entire and "
                     "give KDP the same answer.", f.source)
    return Check("metadata.ai_content", "pass", f"The AI-content answer is “{meta.ai_content}”; give KDP the "
                 "same answer at setup.", f.source)


def check_ai_translation(meta) -> Check | None:
    """A translated edition: KDP asks separately whether the translation is AI-generated."""
    if not getattr(meta, "original_language", None):
        return None
    f = facts.AI_CONTENT_QUESTION
    if meta.ai_translation is None:
        return Check("metadata.ai_translation", "verify", "This book is a translation; KDP asks whether the "
                     "translation is AI-generated, and this book does not say.", f.source)
    words = {"none": "not AI-generated (translated by people)", "some": "AI-generated in some sections",
             "entire": "AI-generated for the entire work"}[meta.ai_translation]
    detail = f" ({meta.ai_translation_detail})" if meta.ai_translation_detail else ""
    return Check("metadata.ai_translation", "pass", f"The translation is {words}{detail}; give KDP the same "
                 "answer at setup.", f.source)


# --- language --------------------------------------------------------------------------


def check_language(language: str, formats: Iterable[str] = ("ebook", "paperback")) -> list[Check]:
    """KDP's language list was not found (sheet §7.1 is a gap), so most answers here are
    third-party; unsupported-by-absence languages (Urdu, Russian, ...) come out "verify"."""
    try:
        code = normalize_language(language)
    except ValueError:
        return [Check("language.known", "verify", f"We do not know whether KDP accepts books in "
                      f"{language!r}; check KDP's language list.", facts.LANGUAGE_SOURCE)]
    name = language_name(code)
    support = facts.LANGUAGE_SUPPORT.get(code)
    out = []
    for fmt in formats:
        label = "eBooks" if fmt == "ebook" else "paperbacks"
        if support is None:
            out.append(Check(f"language.{fmt}", "verify", f"{name} is not in any list of KDP languages "
                             f"we found; check whether KDP publishes {name} {label}.", facts.LANGUAGE_SOURCE))
            continue
        ok = getattr(support, fmt)
        conf = getattr(support, f"{fmt}_confidence")
        status = "verify" if conf in facts.VERIFY_CONFIDENCES else ("pass" if ok else "fail")
        if ok:
            msg = f"KDP publishes {label} in {name}."
        else:
            msg = f"KDP does not appear to publish {label} in {name}."
        if support.note:
            msg = msg[:-1] + f" ({support.note})."
        if status == "verify":
            msg = msg[:-1] + "; this could not be confirmed on KDP's own pages."
        out.append(Check(f"language.{fmt}", status, msg, facts.LANGUAGE_SOURCE))
    return out


# --- interior --------------------------------------------------------------------------


def page_limits(trim: Trim, paper: str) -> tuple[int, int]:
    lo, hi, exceptions = facts.PAGE_LIMITS[paper].value
    return lo, exceptions.get((trim.width, trim.height), hi)


def check_interior(
    trim: Trim | str,
    pages: int,
    paper: str,
    *,
    bleed: bool = False,
    margins: Margins | None = None,
    page_size_in: tuple[Decimal, Decimal] | None = None,
) -> list[Check]:
    trim = Trim.parse(trim)
    out: list[Check] = []
    ft, fc = facts.STANDARD_TRIMS, facts.CUSTOM_TRIM_RANGE
    if trim.is_standard:
        out.append(Check("interior.trim", status_for(True, ft), f"{trim} is a standard KDP trim size.", ft.source))
    else:
        out.append(Check("interior.trim", status_for(trim.is_custom_allowed, fc),
                         f"{trim} is a custom trim size, which KDP allows from 4 to 8.5 in wide and 6 to 11.69 in tall."
                         if trim.is_custom_allowed else
                         f"{trim} is outside the sizes KDP prints (4 to 8.5 in wide, 6 to 11.69 in tall).", fc.source))
    fp = facts.PAGE_LIMITS[paper]
    lo, hi = page_limits(trim, paper)
    paper_label = paper.replace("_", " ").replace("color", "colour")
    if hi == 0:
        out.append(Check("interior.page_count", status_for(False, fp),
                         f"KDP does not print {paper_label} on {trim} pages.", fp.source))
    else:
        ok = lo <= pages <= hi
        out.append(Check("interior.page_count", status_for(ok, fp),
                         f"A {trim} book on {paper_label} paper can have {lo} to {hi} pages; yours has {pages}.",
                         fp.source))
    fe = facts.PAGE_COUNT_EVEN
    out.append(Check("interior.page_count_even", status_for(pages % 2 == 0, fe),
                     f"The page count ({pages}) is even." if pages % 2 == 0 else
                     f"The page count ({pages}) is odd; add a blank page, because every sheet is printed on both sides.",
                     fe.source))
    if margins is not None:
        out += _check_margins(pages, margins, bleed)
    if page_size_in is not None:
        want = interior_page_size(trim, bleed)
        tol = facts.COVER_SIZE_TOLERANCE_IN.value
        ok = all(abs(D(str(h)) - w) <= tol for h, w in zip(page_size_in, want))
        kind = "with bleed" if bleed else "without bleed"
        have = f"{_in(D(str(page_size_in[0])))} × {_in(D(str(page_size_in[1])))}"
        out.append(Check("interior.page_size", "pass" if ok else "fail",
                         f"The interior pages are {have}, as a {trim} book {kind} needs." if ok else
                         f"The interior pages are {have}, but a {trim} book {kind} needs "
                         f"{_in(want[0])} × {_in(want[1])}.", facts.BLEED.source))
    return out


def _check_margins(pages: int, margins: Margins, bleed: bool) -> list[Check]:
    short = {s.edge: s for s in margin_shortfalls(pages, margins, bleed)}
    fg = facts.GUTTER_TABLE
    fo = facts.OUTER_MARGIN_BLEED if bleed else facts.OUTER_MARGIN_NO_BLEED
    out = []
    if "inside" in short:
        s = short["inside"]
        msg = f"The inside margin is {_in(s.have)}, but a {pages}-page book needs at least {_in(s.need)}."
    else:
        msg = f"The inside margin of {_in(margins.inside)} is wide enough for {pages} pages."
    out.append(Check("interior.gutter", status_for("inside" not in short, fg), msg, fg.source))
    outer = [short[e] for e in ("outside", "top", "bottom") if e in short]
    kind = "with bleed" if bleed else "without bleed"
    if outer:
        msg = (f"The {_list([s.edge for s in outer])} margin{'s are' if len(outer) > 1 else ' is'} "
               f"{_list([_in(s.have) for s in outer])}, but a book {kind} needs at least {_in(outer[0].need)}.")
    else:
        msg = f"The top, bottom and outside margins are at least {_in(fo.value)}, as a book {kind} needs."
    out.append(Check("interior.outer_margins", status_for(not outer, fo), msg, fo.source))
    return out


# --- paperback cover -------------------------------------------------------------------


def pdf_page_size_in(path: str | Path) -> tuple[Decimal, Decimal]:
    """Width and height of the first page's media box, in inches."""
    from pypdf import PdfReader

    box = PdfReader(str(path)).pages[0].mediabox
    return D(str(box.width)) / 72, D(str(box.height)) / 72


def check_cover(
    trim: Trim | str,
    pages: int,
    paper: str,
    *,
    size_in: tuple[Decimal, Decimal] | None = None,
    elements: Sequence[CoverElement] = (),
    has_spine_text: bool | None = None,
) -> list[Check]:
    trim = Trim.parse(trim)
    want = cover_size(trim, pages, paper)
    out: list[Check] = []
    if size_in is not None:
        tol = facts.COVER_SIZE_TOLERANCE_IN
        w, h = (D(str(v)) for v in size_in)
        ok = abs(w - want.width) <= tol.value and abs(h - want.height) <= tol.value
        out.append(Check("cover.size", status_for(ok, facts.SPINE_PER_PAGE[paper], facts.BLEED),
                         f"The cover is {_in(w)} × {_in(h)}"
                         + (", which matches the full wrap for this book." if ok else
                            f", but {pages} pages on {paper.replace('_', ' ')} paper at {trim} need "
                            f"{_in(want.width)} × {_in(want.height)} (spine {_in(want.spine)})."),
                         sources(facts.SPINE_PER_PAGE[paper], facts.BLEED)))
    spine_elems = [e for e in elements if e.name.startswith("spine")]
    if has_spine_text is None:
        has_spine_text = any(e.kind == "text" for e in spine_elems)
    fs = facts.SPINE_TEXT_MIN_PAGES
    allowed = pages >= fs.value
    if has_spine_text:
        out.append(Check("cover.spine_text", status_for(allowed, fs),
                         f"The spine has text, which KDP allows from {fs.value} pages." if allowed else
                         f"The spine has text, but KDP allows spine text only from {fs.value} pages and this "
                         f"book has {pages}.", fs.source))
    else:
        out.append(Check("cover.spine_text", "pass", "The spine has no text." + (
            "" if not allowed else f" At {pages} pages you could add the title there."), fs.source))
    checked = [e for e in elements if e.kind in ("text", "image")]
    if elements:
        out.append(_check_barcode(trim, pages, paper, checked))
        out.append(_check_safe_zone(trim, pages, paper, checked))
    return out


def _check_barcode(trim, pages, paper, elements) -> Check:
    fo = facts.BARCODE_OFFSET
    clash_by_reading = []
    for offset in fo.readings:
        box = cover_zones(trim, pages, paper, barcode_offset=offset).barcode
        clash_by_reading.append([e.name for e in elements if e.box.intersects(box)])
    status = status_over_readings([not c for c in clash_by_reading], facts.BARCODE_SIZE)
    clashes = sorted({n for c in clash_by_reading for n in c})
    w, h = facts.BARCODE_SIZE.value
    if not clashes:
        msg = f"The {_in(w)} × {_in(h)} barcode area at the bottom right of the back cover is clear."
    elif status == "fail":
        msg = f"{_list(clashes)} overlap{'s' if len(clashes) == 1 else ''} the barcode area at the bottom right of the back cover; move {'it' if len(clashes) == 1 else 'them'} up or left."
    else:
        msg = (f"{_list(clashes)} come{'s' if len(clashes) == 1 else ''} close to the barcode area; sources "
               "disagree on its exact place (0.25 or 0.125 in from the edges), so keep a little more room.")
    return Check("cover.barcode", status, msg, sources(facts.BARCODE_SIZE, fo))


def _check_safe_zone(trim, pages, paper, elements) -> Check:
    fs = facts.SAFE_ZONE
    outside_by_reading = []
    for margin in fs.readings:
        z = cover_zones(trim, pages, paper, safe_margin=margin)
        safe = (z.back_safe, z.spine_safe, z.front_safe)
        outside_by_reading.append([e.name for e in elements if not any(s.contains(e.box) for s in safe)])
    status = status_over_readings([not o for o in outside_by_reading])
    names = sorted({n for o in outside_by_reading for n in o})
    if not names:
        msg = f"All text and images stay at least {_in(fs.value)} inside the trim lines."
    elif status == "fail":
        msg = f"{_list(names)} reach{'es' if len(names) == 1 else ''} too close to a trim line or fold and may be cut off."
    else:
        msg = (f"{_list(names)} sit{'s' if len(names) == 1 else ''} between 0.125 and 0.25 in from a trim line; "
               "sources disagree on the safe margin, so moving inward is safer.")
    return Check("cover.safe_zone", status, msg, fs.source)


# --- eBook cover -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    mode: str
    file_bytes: int

    @classmethod
    def of(cls, path: str | Path) -> "ImageInfo":
        from PIL import Image

        with Image.open(path) as im:
            return cls(im.width, im.height, im.mode, Path(path).stat().st_size)


def check_ebook_cover(info: ImageInfo | str | Path) -> list[Check]:
    if not isinstance(info, ImageInfo):
        info = ImageInfo.of(info)
    (mn_w, mn_h), (mx_w, mx_h) = facts.EBOOK_COVER_MIN.value, facts.EBOOK_COVER_MAX.value
    size = f"{info.width} × {info.height} px"
    src = facts.SRC_EBOOK_COVER
    out = []
    if info.width < mn_w or info.height < mn_h:
        out.append(Check("ebook_cover.size", "fail", f"The eBook cover is {size}; KDP needs at least {mn_w} × {mn_h} px "
                         "(ideally 1600 × 2560), and a small image should not be stretched.", src))
    elif info.width > mx_w or info.height > mx_h:
        out.append(Check("ebook_cover.size", "fail", f"The eBook cover is {size}; KDP accepts at most {mx_w} × {mx_h} px.", src))
    else:
        out.append(Check("ebook_cover.size", "pass", f"The eBook cover is {size}, within KDP's limits.", src))
    ratio = D(info.height) / D(info.width) if info.width else D(0)
    fr, tol = facts.EBOOK_COVER_RATIO, facts.EBOOK_COVER_RATIO_TOLERANCE
    ok = abs(ratio - fr.value) <= tol.value
    out.append(Check("ebook_cover.ratio", "pass" if ok else "fail",
                     f"The cover's height is {ratio:.2f} times its width"
                     + (", close to KDP's ideal of 1.6." if ok else ", but KDP's ideal is 1.6 (for example 1600 × 2560 px)."),
                     fr.source))
    rgb = info.mode in ("RGB", "L")
    out.append(Check("ebook_cover.rgb", "pass" if rgb else "fail",
                     "The cover is in RGB colour." if rgb else
                     f"The cover is in {info.mode} colour; save it as RGB (no CMYK, no transparency).",
                     facts.EBOOK_COVER_RGB.source))
    mb = D(info.file_bytes) / (1024 * 1024)
    fmax = facts.EBOOK_COVER_MAX_MB
    out.append(Check("ebook_cover.file_size", "pass" if mb <= fmax.value else "fail",
                     f"The cover file is {mb:.1f} MB" + (f", under KDP's {fmax.value} MB limit." if mb <= fmax.value
                                                         else f", over KDP's {fmax.value} MB limit."), fmax.source))
    return out


# --- prices ----------------------------------------------------------------------------


def check_prices(
    *,
    ebook: dict[str, Decimal] | None = None,
    paperback: dict[str, Decimal] | None = None,
    size_mb=1,
    plan: int = 70,
    pages: int | None = None,
    paper: str = "white",
    trim: Trim | str | None = None,
) -> list[Check]:
    """Every given marketplace price inside KDP's range (eBook: the chosen plan's band)."""
    out: list[Check] = []
    for mp, price in (ebook or {}).items():
        cur = facts.MARKETPLACES[mp].currency
        band = pricing.ebook_band(cur, plan, size_mb)
        flags = pricing.band_flags(mp, pricing.money(price, cur), band, f"{plan}%")
        msg = flags[0].message if flags else (
            f"{cur} {pricing.money(price, cur)} is inside the {plan}% range on {facts.MARKETPLACES[mp].domain}.")
        if not flags and band.needs_verify:
            msg = msg[:-1] + f", but that range may be out of date ({band.note})."
        out.append(Check(f"price.ebook.{mp}", status_for(not flags, band), msg, band.source))
    if paperback:
        if pages is None or trim is None:
            raise ValueError("paperback price checks need pages and trim")
        unknown = []
        for mp, price in paperback.items():
            r = pricing.paperback_royalty(price, mp, pages, paper, trim)
            if r.royalty is None:
                unknown.append(facts.MARKETPLACES[mp].domain)
                continue
            bad = [f for f in r.flags if f.code in ("below_min", "above_max")]
            unsure = [f for f in r.flags if f.verify]
            status = "verify" if unsure else ("fail" if bad else "pass")
            msg = bad[0].message if bad else (
                f"{r.currency} {r.list_price} on {facts.MARKETPLACES[mp].domain} earns about "
                f"{r.currency} {r.royalty} a copy after printing ({r.currency} {r.printing_cost}).")
            if unsure and not bad:
                msg = msg[:-1] + f"; {unsure[0].message[0].lower()}{unsure[0].message[1:]}"
            out.append(Check(f"price.paperback.{mp}", status, msg, facts.SRC_PRINT_COST))
        if unknown:
            out.append(Check("price.paperback.unknown_cost", "verify",
                             f"KDP's printing cost for this book is not known for {_list(unknown)}, so check "
                             "the minimum price there in KDP's price calculator.", facts.SRC_PRINT_COST))
    if ebook and paperback:
        out.append(_check_ebook_below_print(ebook, paperback))
    return out


def _check_ebook_below_print(ebook: dict, paperback: dict) -> Check:
    fact = facts.EBOOK_BELOW_PRINT_RATIO
    too_high = []
    for mp in sorted(set(ebook) & set(paperback)):
        flag = pricing.check_ebook_below_print(ebook[mp], paperback[mp], facts.MARKETPLACES[mp].currency)
        if "does not meet" in flag.message:
            too_high.append(facts.MARKETPLACES[mp].domain)
    if too_high:
        msg = (f"On {_list(too_high)} the eBook is not at least 20% cheaper than the paperback, which the "
               "70% royalty once required; KDP's current wording of this rule was not found.")
    else:
        msg = ("The eBook is at least 20% cheaper than the paperback everywhere, as the 70% royalty once "
               "required; KDP's current wording of this rule was not found.")
    return Check("price.ebook_below_print", "verify", msg, fact.source)


# --- everything ------------------------------------------------------------------------


def preflight(
    meta: BookMetadata,
    *,
    pages: int | None = None,
    ebook_size_mb=None,
    margins: Margins | None = None,
    interior_size_in: tuple[Decimal, Decimal] | None = None,
    cover_pdf: str | Path | None = None,
    cover_elements: Sequence[CoverElement] = (),
    ebook_cover: str | Path | ImageInfo | None = None,
    ebook_prices: dict[str, Decimal] | None = None,
    paperback_prices: dict[str, Decimal] | None = None,
) -> Report:
    """Run every check the inputs allow. Prices not given are proposed from price_usd /
    paperback_price_usd with :mod:`pricing`, clamped as the kit would upload them.
    Without ``ebook_size_mb`` the eBook is assumed to be 1 MB (the smallest 35% price tier)."""
    report = Report(title=f"KDP preflight: {meta.title}")
    report.extend(check_metadata(meta))
    report.add(check_ai_content(meta))
    translated = check_ai_translation(meta)
    if translated is not None:
        report.add(translated)
    formats = ["ebook"] + (["paperback"] if meta.trim else [])
    report.extend(check_language(meta.language, formats))
    if meta.trim and pages is not None:
        report.extend(check_interior(meta.trim, pages, meta.paper, bleed=meta.bleed, margins=margins,
                                     page_size_in=interior_size_in))
        size = pdf_page_size_in(cover_pdf) if cover_pdf else None
        if size is not None or cover_elements:
            report.extend(check_cover(meta.trim, pages, meta.paper, size_in=size, elements=cover_elements))
    if ebook_cover is not None:
        report.extend(check_ebook_cover(ebook_cover))
    size_mb = ebook_size_mb if ebook_size_mb is not None else 1
    plan = 35 if meta.public_domain else 70
    # Proposals are clamped because the kit uploads the clamped prices; the moves are reported.
    moved: list[pricing.PriceProposal] = []
    if ebook_prices is None and meta.price_usd is not None:
        # From the primary store, as the kit proposes them (price_table): the same prices.
        props = pricing.propose_ebook_prices(meta.price_usd, meta.primary_marketplace or "US", plan=plan,
                                             size_mb=size_mb)
        ebook_prices = {p.marketplace: p.proposed for p in props}
        moved += [p for p in props if p.adjusted]
    if paperback_prices is None and meta.paperback_price_usd is not None and meta.trim and pages:
        props = pricing.propose_paperback_prices(meta.paperback_price_usd, meta.primary_marketplace or "US", pages=pages,
                                                 paper=meta.paper, trim=meta.trim)
        paperback_prices = {p.marketplace: p.proposed for p in props}
        moved += [p for p in props if p.adjusted]
    if moved:
        where = _list([f"{facts.MARKETPLACES[p.marketplace].domain} ({p.currency} {p.proposed})" for p in moved])
        report.add(Check("price.adjusted", "pass", f"Converted prices were moved into KDP's range on {where}.",
                         facts.SRC_PRICE_DE))
    report.extend(check_prices(ebook=ebook_prices, paperback=paperback_prices, size_mb=size_mb, plan=plan,
                               pages=pages, paper=meta.paper, trim=meta.trim))
    return report

"""ONIX 3.0 (reference tags) product records for the eBook and the paperback.

KDP itself takes metadata through its forms; ``onix.xml`` is for distributors, libraries and
our own archive. Element order follows the ONIX 3.0 reference schema sequence, codes are from
EDItEUR's code lists (https://ns.editeur.org/onix/en): 5 product ID type, 15 title type,
17 contributor role, 74 language (ISO 639-2/B), 48 measure type, 23 extent type, 26 subject
scheme, 153 text type, 45 publishing role, 163 date role, 58 price type, 65 availability.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Iterable

from lxml import etree

from . import facts
from .geometry import cover_size
from .languages import iso639_2b
from .metadata import BookMetadata

NS = "http://ns.editeur.org/onix/3.0/reference"

# KDP role names (facts.CONTRIBUTOR_ROLES) -> ONIX code list 17. Introduction is A24 and
# Preface A15 in list 17 (A10 is "From an idea by"); Narrator is E07 "Read by" (audio).
CONTRIBUTOR_CODES = {
    "Author": "A01", "Editor": "B01", "Foreword": "A23", "Introduction": "A24", "Preface": "A15",
    "Translator": "B06", "Illustrator": "A12", "Photographer": "A13", "Narrator": "E07",
}

# Stores whose list prices include VAT/consumption tax (sheet §2.2) get price type 02
# ("RRP including tax"); the others 01 ("RRP excluding tax").
_TAX_INCLUSIVE = {"UK", "DE", "FR", "ES", "IT", "NL", "JP", "IN"}


def _el(parent, tag: str, text=None, **attrib):
    node = etree.SubElement(parent, tag, {k: str(v) for k, v in attrib.items()})
    if text is not None:
        node.text = str(text)
    return node


def _dec(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _product(root, meta: BookMetadata, fmt: str, pages: int | None,
             prices: dict[str, Decimal] | None) -> etree._Element:
    isbn = meta.isbn_ebook if fmt == "ebook" else meta.isbn_paperback
    product = _el(root, "Product")
    # Stable across runs so re-sent records replace the old ones.
    ref = isbn or "communique-" + fmt + "-" + hashlib.sha1(meta.title.encode()).hexdigest()[:12]
    _el(product, "RecordReference", ref)
    _el(product, "NotificationType", "03")  # 03: confirmed record
    if isbn:
        pid = _el(product, "ProductIdentifier")
        _el(pid, "ProductIDType", "15")  # ISBN-13
        _el(pid, "IDValue", isbn)
    else:
        pid = _el(product, "ProductIdentifier")
        _el(pid, "ProductIDType", "01")  # proprietary: the eBook needs no ISBN on KDP
        _el(pid, "IDTypeName", "Communiqué record")
        _el(pid, "IDValue", ref)

    dd = _el(product, "DescriptiveDetail")
    _el(dd, "ProductComposition", "00")  # single-item product
    if fmt == "ebook":
        _el(dd, "ProductForm", "ED")  # digital download
        _el(dd, "ProductFormDetail", "E101")  # EPUB
    else:
        _el(dd, "ProductForm", "BC")  # paperback
        if meta.trim is not None:
            thickness = cover_size(meta.trim, pages, meta.paper).spine if pages else None
            for mtype, value in (("01", meta.trim.height), ("02", meta.trim.width), ("03", thickness)):
                if value is None:
                    continue
                m = _el(dd, "Measure")
                _el(m, "MeasureType", mtype)  # 01 height, 02 width, 03 thickness
                _el(m, "Measurement", _dec(Decimal(value).quantize(Decimal("0.001"))))
                _el(m, "MeasureUnitCode", "in")
    if meta.series:
        coll = _el(dd, "Collection")
        _el(coll, "CollectionType", "10")  # publisher collection
        td = _el(coll, "TitleDetail")
        _el(td, "TitleType", "01")
        te = _el(td, "TitleElement")
        _el(te, "TitleElementLevel", "02")  # collection level
        if meta.series_number:
            _el(te, "PartNumber", meta.series_number)
        _el(te, "TitleText", meta.series)
    td = _el(dd, "TitleDetail")
    _el(td, "TitleType", "01")  # distinctive title
    te = _el(td, "TitleElement")
    _el(te, "TitleElementLevel", "01")  # product level
    _el(te, "TitleText", meta.title)
    if meta.subtitle:
        _el(te, "Subtitle", meta.subtitle)
    for i, c in enumerate(meta.contributors, start=1):
        node = _el(dd, "Contributor")
        _el(node, "SequenceNumber", i)  # KDP shows contributors in the order entered
        _el(node, "ContributorRole", CONTRIBUTOR_CODES.get(c.role, "Z99"))
        _el(node, "PersonName", c.name)
    if not meta.contributors:
        _el(dd, "NoContributor")
    if meta.edition:
        _el(dd, "EditionNumber", meta.edition)
    lang = _el(dd, "Language")
    _el(lang, "LanguageRole", "01")  # language of text
    _el(lang, "LanguageCode", iso639_2b(meta.language))
    if getattr(meta, "original_language", None):
        original = _el(dd, "Language")
        _el(original, "LanguageRole", "02")  # original language of a translated text
        _el(original, "LanguageCode", iso639_2b(meta.original_language))
    if pages and fmt == "paperback":
        ext = _el(dd, "Extent")
        _el(ext, "ExtentType", "00")  # main content page count
        _el(ext, "ExtentValue", pages)
        _el(ext, "ExtentUnit", "03")  # pages
    for i, category in enumerate(meta.categories):
        s = _el(dd, "Subject")
        if i == 0:
            _el(s, "MainSubject")
        _el(s, "SubjectSchemeIdentifier", "24")  # proprietary: Amazon's own store categories
        _el(s, "SubjectSchemeName", "Amazon category")
        _el(s, "SubjectHeadingText", category)
    if meta.keywords:
        s = _el(dd, "Subject")
        _el(s, "SubjectSchemeIdentifier", "20")  # keywords
        _el(s, "SubjectHeadingText", "; ".join(meta.keywords))
    if meta.reading_age_min is not None or meta.reading_age_max is not None:
        ar = _el(dd, "AudienceRange")
        _el(ar, "AudienceRangeQualifier", "17")  # interest age, years
        if meta.reading_age_min is not None:
            _el(ar, "AudienceRangePrecision", "03")  # from
            _el(ar, "AudienceRangeValue", meta.reading_age_min)
        if meta.reading_age_max is not None:
            _el(ar, "AudienceRangePrecision", "04")  # to
            _el(ar, "AudienceRangeValue", meta.reading_age_max)

    if meta.description_html:
        from .description import sanitize_description

        cd = _el(product, "CollateralDetail")
        tc = _el(cd, "TextContent")
        _el(tc, "TextType", "03")  # description
        _el(tc, "ContentAudience", "00")  # unrestricted
        _el(tc, "Text", sanitize_description(meta.description_html).html, textformat="02")  # HTML, escaped

    pd = _el(product, "PublishingDetail")
    pub = _el(pd, "Publisher")
    _el(pub, "PublishingRole", "01")
    _el(pub, "PublisherName", meta.publisher or "Independently published")
    _el(pd, "PublishingStatus", "04")  # active
    if meta.publication_date:
        pdate = _el(pd, "PublishingDate")
        _el(pdate, "PublishingDateRole", "01")  # publication date
        _el(pdate, "Date", meta.publication_date.strftime("%Y%m%d"))

    if prices:
        ps = _el(product, "ProductSupply")
        market = _el(ps, "Market")
        _el(_el(market, "Territory"), "RegionsIncluded", "WORLD")
        sd = _el(ps, "SupplyDetail")
        sup = _el(sd, "Supplier")
        _el(sup, "SupplierRole", "01")  # publisher to retailers
        _el(sup, "SupplierName", meta.publisher or "Independently published")
        _el(sd, "ProductAvailability", "20")  # available
        for mp, amount in prices.items():
            market_fact = facts.MARKETPLACES[mp]
            price = _el(sd, "Price")
            _el(price, "PriceType", "02" if mp in _TAX_INCLUSIVE else "01")
            _el(price, "PriceAmount", _dec(amount))
            _el(price, "CurrencyCode", market_fact.currency)
            _el(_el(price, "Territory"), "CountriesIncluded", market_fact.country)
    return product


def onix_message(
    meta: BookMetadata,
    *,
    pages: int | None = None,
    formats: Iterable[str] | None = None,
    ebook_prices: dict[str, Decimal] | None = None,
    paperback_prices: dict[str, Decimal] | None = None,
    sender: str = "Communiqué",
    sent: date | None = None,
) -> etree._Element:
    """An ONIXMessage with one Product per format ("ebook", and "paperback" when a trim is set)."""
    formats = list(formats or (["ebook"] + (["paperback"] if meta.trim else [])))
    root = etree.Element("ONIXMessage", nsmap={None: NS}, release="3.0")
    header = _el(root, "Header")
    _el(_el(header, "Sender"), "SenderName", sender)
    _el(header, "SentDateTime", (sent or date.today()).strftime("%Y%m%d"))
    for fmt in formats:
        if fmt not in ("ebook", "paperback"):
            raise ValueError(f"format must be ebook or paperback, not {fmt!r}")
        _product(root, meta, fmt, pages, ebook_prices if fmt == "ebook" else paperback_prices)
    # Tags are written bare above for readability and qualified into the ONIX namespace here.
    for node in root.iter():
        if isinstance(node.tag, str) and not node.tag.startswith("{"):
            node.tag = f"{{{NS}}}{node.tag}"
    return root


def onix_xml(meta: BookMetadata, **kwargs) -> bytes:
    """``onix.xml`` as UTF-8 bytes; same arguments as :func:`onix_message`."""
    return etree.tostring(onix_message(meta, **kwargs), xml_declaration=True, encoding="UTF-8", pretty_print=True)

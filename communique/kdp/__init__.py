"""KDP engine: Amazon Kindle Direct Publishing rules, prices, geometry and preflight.

Pure Python with no web request and no database; the web layer and the kit builder call
into it. Nothing is imported here so that loading the Django app stays cheap (WeasyPrint
and Pillow load only when a cover is rendered). Import from the modules:

facts          Every outside figure as ``Fact(value, source, confidence)``; confidence is
               "kdp" | "third-party" | "unverified" | "conflict" | "stale" | "gap". A rule
               resting on unverified/conflict/stale/gap facts reports "verify", never pass/fail.
               ``Fact.needs_verify``; ``Fact.readings`` (value + alternatives for a conflict).
               Tables: MARKETPLACES, EBOOK_BANDS_35, EBOOK_BAND_70, DELIVERY_PER_MB, EBOOK_VAT,
               PRINT_VAT, EXCHANGE_RATES (fixed, dated EXCHANGE_RATES_AS_OF), PRINTING_COST,
               PRINT_RATE_THRESHOLD, STANDARD_TRIMS, PAGE_LIMITS, GUTTER_TABLE, SPINE_PER_PAGE,
               BARCODE_SIZE/OFFSET, SAFE_ZONE, EBOOK_COVER_*, metadata limits, LANGUAGE_SUPPORT.

geometry       (Decimal inches; ``to_dict()`` gives floats)
               Trim.parse("6x9" | "152.4 x 228.6 mm") -> Trim (.is_large, .is_standard)
               spine_width(pages, paper) -> Decimal
               cover_size(trim, pages, paper) -> CoverSize (.width, .height, .spine, .pixels(dpi))
               cover_zones(trim, pages, paper, *, safe_margin=None, barcode_offset=None) -> CoverZones
                   (.full .back .spine .front .back_safe .spine_safe .front_safe .barcode: Rect,
                    origin top-left of the wrap incl. bleed, y down; .spine_text_allowed)
               interior_page_size(trim, bleed) -> (w, h)
               required_gutter(pages) -> Decimal | None; required_outer_margin(bleed) -> Decimal
               Margins.of(inside, outside, top, bottom); margin_shortfalls(pages, margins, bleed)
               Rect, CoverElement(name, kind, box); to_px(inches, dpi), to_pt(inches)

pricing        (Decimal money; dataclasses with ``to_dict()``)
               propose_ebook_prices(price, primary="US", *, plan=70, size_mb=1, clamp=True) -> [PriceProposal]
               propose_paperback_prices(price, primary="US", *, pages, paper, trim, clamp=True) -> [PriceProposal]
               ebook_royalty(list_price, marketplace, size_mb, *, vat_rate=None, public_domain=False,
                             kdp_select=False) -> EbookRoyalty (.royalty_35, .royalty_70, .eligible_70,
                             .conditions, .flags)
               paperback_royalty(list_price, marketplace, pages, paper, trim) -> PaperbackRoyalty
               printing_cost(marketplace, pages, paper, trim) -> Fact[Decimal] | None
               min_paperback_price(marketplace, cost) -> Decimal
               ebook_band(currency, plan, size_mb) -> Fact[Band]; charm(amount, currency);
               check_ebook_below_print(ebook_price, print_price, currency) -> Flag (always verify)

metadata       BookMetadata (dataclass), BookMetadata.from_front_matter(dict) (raises
               MetadataError(ValueError) naming the field), .to_dict(), .from_dict(d), .to_metadata_json()
description    sanitize_description(html) -> CleanDescription(html, changes)
isbn           normalize_isbn(value) -> 13 digits (ISBN-10 converted); is_valid_isbn13; ISBNError
languages      normalize_language("English" | "en" | "eng") -> "en"; iso639_2b(code); support(code)
               (a view of the language registry, communique.documents.languages)
print_rules    print_rules(paper, trim) -> editions.pdf.geometry.PrintRules (KDP's rules for the writer)

preflight      check_metadata(meta), check_isbns(ebook, paperback), check_language(lang, formats),
               check_interior(trim, pages, paper, *, bleed, margins, page_size_in),
               check_cover(trim, pages, paper, *, size_in, elements, has_spine_text),
               check_ebook_cover(path | ImageInfo), check_prices(*, ebook, paperback, size_mb, plan,
               pages, paper, trim) -> [Check]; pdf_page_size_in(path);
               preflight(meta, *, pages, ebook_size_mb, margins, interior_size_in, cover_pdf,
                         cover_elements, ebook_cover, ebook_prices, paperback_prices) -> Report
report         Check(rule_id, status, message, source); Report(checks).status / .to_json() /
               .to_text() / .to_html()

onix           onix_xml(meta, *, pages, formats, ebook_prices, paperback_prices) -> bytes (ONIX 3.0)
cover_pdf      render_cover(out_pdf, *, trim, pages, paper, title, author, subtitle, blurb,
                            background, ink, art, spine_text, barcode_box, png_path, preview_dpi,
                            guides) -> CoverRender(pdf_path, png_path, zones, elements, warnings)
               language, front_finished; use_finished_cover(pdf, out, *, trim, pages, paper) checks a
               designer's full wrap; render_preview_png(pdf, png, *, dpi, zones)
ebook_cover    make_ebook_cover(out_path, *, title, author, art, subtitle, background) -> EbookCover
               (1600 × 2560 RGB JPEG; CoverArtError for art over 10000 px or under 625 × 1000)

The kit itself: kit.build_kit (the build), source (reading), merge (metadata), kit_prices,
reports (+ templates/kdp/), kit_folder (inspect and check a folder), kit_layout (file names).

A kit builder typically: read front matter -> BookMetadata; build EPUB and interior PDF;
render_cover(...) and make_ebook_cover(...); preflight(meta, pages=..., cover_pdf=...,
cover_elements=render.elements, ebook_cover=..., ebook_size_mb=...) -> report.html/json;
onix_xml(meta, ...) -> onix.xml; meta.to_metadata_json() -> metadata.json.
"""

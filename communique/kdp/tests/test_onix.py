from datetime import date

from lxml import etree

from communique.kdp.metadata import BookMetadata
from communique.kdp.onix import NS, onix_xml

N = {"o": NS}


def _meta(**extra):
    return BookMetadata.from_front_matter({
        "title": "The Long Road", "subtitle": "Essays", "series": "Roads", "series_number": 2,
        "author": "Ana Lima",
        "contributors": [{"name": "Bo Chen", "role": "Translator"}, {"name": "Cy Dee", "role": "Introduction"},
                         {"name": "Di Eve", "role": "Preface"}],
        "description": "<p>Hello <strong>world</strong></p>", "keywords": ["roads", "travel"],
        "categories": ["Travel > Essays"], "language": "fr", "isbn_paperback": "9780306406157",
        "trim": "6x9", "date": "2026-12-01", "publisher": "Communiqué Books", **extra,
    })


def test_onix_is_well_formed_with_both_products():
    root = etree.fromstring(onix_xml(_meta(), pages=300, sent=date(2026, 11, 29),
                                     ebook_prices={"US": "4.99", "UK": "3.99"},
                                     paperback_prices={"US": "14.99"}))
    assert root.tag == f"{{{NS}}}ONIXMessage" and root.get("release") == "3.0"
    products = root.findall("o:Product", N)
    assert [p.findtext("o:DescriptiveDetail/o:ProductForm", namespaces=N) for p in products] == ["ED", "BC"]
    ebook, paper = products
    assert paper.findtext("o:ProductIdentifier[o:ProductIDType='15']/o:IDValue", namespaces=N) == "9780306406157"
    assert ebook.findtext("o:ProductIdentifier/o:ProductIDType", namespaces=N) == "01"
    roles = paper.xpath("o:DescriptiveDetail/o:Contributor/o:ContributorRole/text()", namespaces=N)
    assert roles == ["A01", "B06", "A24", "A15"]
    assert paper.findtext("o:DescriptiveDetail/o:Language/o:LanguageCode", namespaces=N) == "fre"
    te = paper.find("o:DescriptiveDetail/o:TitleDetail/o:TitleElement", N)
    assert te.findtext("o:TitleText", namespaces=N) == "The Long Road"
    assert te.findtext("o:Subtitle", namespaces=N) == "Essays"
    assert paper.findtext("o:DescriptiveDetail/o:Collection//o:PartNumber", namespaces=N) == "2"
    heights = paper.xpath("o:DescriptiveDetail/o:Measure[o:MeasureType='01']/o:Measurement/text()", namespaces=N)
    thick = paper.xpath("o:DescriptiveDetail/o:Measure[o:MeasureType='03']/o:Measurement/text()", namespaces=N)
    assert heights == ["9"] and thick == ["0.676"]
    assert paper.findtext("o:DescriptiveDetail/o:Extent/o:ExtentValue", namespaces=N) == "300"
    assert paper.findtext("o:PublishingDetail/o:PublishingDate/o:Date", namespaces=N) == "20261201"
    text = ebook.findtext("o:CollateralDetail/o:TextContent/o:Text", namespaces=N)
    assert text == "<p>Hello <b>world</b></p>"
    prices = ebook.xpath("o:ProductSupply/o:SupplyDetail/o:Price", namespaces=N)
    got = {p.findtext("o:CurrencyCode", namespaces=N): (p.findtext("o:PriceType", namespaces=N),
                                                        p.findtext("o:PriceAmount", namespaces=N)) for p in prices}
    assert got == {"USD": ("01", "4.99"), "GBP": ("02", "3.99")}


def test_descriptive_detail_children_follow_schema_order():
    order = ["ProductComposition", "ProductForm", "ProductFormDetail", "Measure", "Collection", "TitleDetail",
             "Contributor", "NoContributor", "EditionNumber", "Language", "Extent", "Subject", "AudienceRange"]
    root = etree.fromstring(onix_xml(_meta(edition=2, reading_age="8-12"), pages=120))
    for dd in root.iterfind(".//o:DescriptiveDetail", N):
        names = [etree.QName(c).localname for c in dd]
        ranks = [order.index(n) for n in names]
        assert ranks == sorted(ranks), names


def test_record_reference_is_stable():
    a = etree.fromstring(onix_xml(_meta(), sent=date(2026, 1, 1)))
    b = etree.fromstring(onix_xml(_meta(), sent=date(2026, 1, 1)))
    assert etree.tostring(a) == etree.tostring(b)

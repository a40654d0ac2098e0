"""The EPUB's package document (OPF), navigation document and NCX, and the stylesheet."""
from __future__ import annotations

from dataclasses import dataclass, field

from communique.editions.fonts import FontFace, body_family, heading_family

from .xhtml import attr, esc, html_document

# MARC relator codes for dc:creator / dc:contributor roles (https://id.loc.gov/vocabulary/relators).
RELATORS = {
    "author": "aut",
    "editor": "edt",
    "translator": "trl",
    "illustrator": "ill",
    "photographer": "pht",
    "foreword": "aui",
    "introduction": "aui",
    "preface": "aui",
    "afterword": "aft",
    "narrator": "nrt",
    "contributor": "ctb",
}


@dataclass
class TocEntry:
    title: str
    href: str
    children: list["TocEntry"] = field(default_factory=list)


def _trim(entries: list[TocEntry], depth: int) -> list[TocEntry]:
    if depth <= 0:
        return []
    return [TocEntry(e.title, e.href, _trim(e.children, depth - 1)) for e in entries]


def toc_depth_of(entries: list[TocEntry]) -> int:
    return max((1 + toc_depth_of(e.children) for e in entries), default=0)


def nav_ol(entries: list[TocEntry], prefix="") -> str:
    items = []
    for e in entries:
        sub = nav_ol(e.children, prefix) if e.children else ""
        items.append(f'<li><a href="{attr(prefix + e.href)}">{esc(e.title)}</a>{sub}</li>')
    return "<ol>" + "".join(items) + "</ol>"


def nav_document(*, lang, direction, toc_title, entries, landmarks) -> str:
    """The EPUB 3 navigation document, also placed in the spine as the HTML contents page
    Kindle asks for near the start of the book (links, not a table)."""
    landmark_items = "".join(
        f'<li><a epub:type="{kind}" href="{attr(href)}">{esc(label)}</a></li>' for kind, href, label in landmarks
    )
    body = (
        f'<nav epub:type="toc" role="doc-toc" id="toc" class="toc">\n<h1>{esc(toc_title)}</h1>\n'
        f"{nav_ol(entries)}\n</nav>\n"
        f'<nav epub:type="landmarks" id="landmarks" hidden="">\n<h2>Landmarks</h2>\n<ol>{landmark_items}</ol>\n</nav>'
    )
    return html_document(lang=lang, direction=direction, title=toc_title, body=body, css="styles/book.css",
                         body_attrs=' epub:type="frontmatter"')


def ncx_document(*, uid, title, lang, entries) -> str:
    counter = [0]

    def points(es):
        out = []
        for e in es:
            counter[0] += 1
            n = counter[0]
            out.append(
                f'<navPoint id="np-{n}" playOrder="{n}"><navLabel><text>{esc(e.title)}</text></navLabel>'
                f'<content src="{attr(e.href)}"/>{points(e.children)}</navPoint>'
            )
        return "".join(out)

    nav_map = points(entries)
    depth = max(1, toc_depth_of(entries))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="{attr(lang)}">\n'
        f'<head><meta name="dtb:uid" content="{attr(uid)}"/><meta name="dtb:depth" content="{depth}"/>'
        '<meta name="dtb:totalPageCount" content="0"/><meta name="dtb:maxPageNumber" content="0"/></head>\n'
        f"<docTitle><text>{esc(title)}</text></docTitle>\n<navMap>{nav_map}</navMap>\n</ncx>\n"
    )


@dataclass
class ManifestItem:
    id: str
    href: str
    media_type: str
    properties: str = ""
    in_spine: bool = False
    linear: bool = True


def opf_document(*, meta, uid, lang, direction, modified, items, spine, a11y, date, cover_id) -> str:
    m = []
    add = m.append
    add(f'<dc:identifier id="pub-id">{esc(uid)}</dc:identifier>')
    add(f"<dc:title id=\"title\">{esc(meta.title)}</dc:title>")
    add('<meta refines="#title" property="title-type">main</meta>')
    if meta.subtitle:
        add(f'<dc:title id="subtitle">{esc(meta.subtitle)}</dc:title>')
        add('<meta refines="#subtitle" property="title-type">subtitle</meta>')
    add(f"<dc:language>{esc(lang)}</dc:language>")
    for i, c in enumerate(meta.contributors, 1):
        tag = "dc:creator" if c.role == "author" else "dc:contributor"
        add(f'<{tag} id="contrib-{i}">{esc(c.name)}</{tag}>')
        add(f'<meta refines="#contrib-{i}" property="role" scheme="marc:relators">{RELATORS.get(c.role, "ctb")}</meta>')
        add(f'<meta refines="#contrib-{i}" property="display-seq">{i}</meta>')
    if meta.publisher:
        add(f"<dc:publisher>{esc(meta.publisher)}</dc:publisher>")
    if date:
        add(f"<dc:date>{esc(date)}</dc:date>")
    if meta.rights:
        add(f"<dc:rights>{esc(meta.rights)}</dc:rights>")
    if meta.description:
        add(f"<dc:description>{esc(meta.description)}</dc:description>")
    for s in meta.subjects:
        add(f"<dc:subject>{esc(s)}</dc:subject>")
    isbn = meta.identifiers.get("isbn")
    if isbn and not uid.startswith("urn:isbn:"):
        add(f'<dc:identifier id="isbn">urn:isbn:{esc(isbn)}</dc:identifier>')
    if meta.series:
        add(f'<meta property="belongs-to-collection" id="series">{esc(meta.series)}</meta>')
        add('<meta refines="#series" property="collection-type">series</meta>')
        if meta.series_number:
            add(f'<meta refines="#series" property="group-position">{esc(str(meta.series_number))}</meta>')
    add(f'<meta property="dcterms:modified">{modified}</meta>')
    for prop, value in a11y:
        add(f'<meta property="{prop}">{esc(value)}</meta>')
    if cover_id:
        # EPUB 2 style cover hint, still read by Kindle's converters.
        add(f'<meta name="cover" content="{cover_id}"/>')

    manifest = []
    for it in items:
        props = f' properties="{it.properties}"' if it.properties else ""
        manifest.append(f'<item id="{it.id}" href="{attr(it.href)}" media-type="{it.media_type}"{props}/>')
    ppd = ' page-progression-direction="rtl"' if direction == "rtl" else ""
    spine_xml = "".join(
        f'<itemref idref="{it.id}"/>' if it.linear else f'<itemref idref="{it.id}" linear="no"/>' for it in spine
    )
    dir_attr = ' dir="rtl"' if direction == "rtl" else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" '
        f'xml:lang="{attr(lang)}"{dir_attr}>\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(m) + "\n</metadata>\n"
        "<manifest>\n" + "\n".join(manifest) + "\n</manifest>\n"
        f'<spine toc="ncx"{ppd}>' + spine_xml + "</spine>\n</package>\n"
    )


CONTAINER_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    '<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>\n'
    "</container>\n"
)


def stylesheet(language: str, direction: str, faces: list[FontFace]) -> str:
    """Kindle's CSS rules (kdp-facts 6.3): no font-size, line-height or colour on body text, an
    explicit text-align on every heading, no negative margins, and no CSS `direction` (EPUBCheck
    rejects it; direction comes from the dir attribute)."""
    align = "right" if direction == "rtl" else "left"
    out = []
    for f in faces:
        out.append(
            f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; font-style: {f.style}; '
            f'src: url("../fonts/{f.filename}"); }}'
        )
    body_fonts = body_family(language) if faces else "serif"
    heading_fonts = heading_family(language) if faces else "sans-serif"
    out.append(
        f"""body {{ font-family: {body_fonts}; }}
p {{ margin-top: 0; margin-bottom: 0; text-indent: 1.2em; }}
h1 + p, h2 + p, h3 + p, h4 + p, h5 + p, h6 + p, hr + p, figure + p, table + p, blockquote + p,
header + p, .footnote p, li p, blockquote p, .titlepage p, .copyright-page p, .contributors p,
.halftitlepage p, .seriespage p, .dedication p, .epigraph p, .about-the-author p {{ text-indent: 0; }}
h1, h2, h3, h4, h5, h6 {{ font-family: {heading_fonts}; text-align: {align}; font-weight: bold;
  page-break-after: avoid; margin-top: 1.5em; margin-bottom: 0.75em; }}
h1 {{ font-size: 1.6em; margin-top: 2em; }}
h2 {{ font-size: 1.3em; }}
h3 {{ font-size: 1.1em; }}
h4, h5, h6 {{ font-size: 1em; }}
section {{ page-break-before: always; }}
section.footnotes, header {{ page-break-before: auto; }}
.section-label {{ text-align: {align}; font-variant: small-caps; margin-bottom: 0.5em; }}
.subtitle {{ text-align: {align}; font-style: italic; margin-bottom: 1em; }}
.byline {{ text-align: {align}; margin-bottom: 0.25em; }}
.role-line {{ text-align: {align}; font-style: italic; font-size: 0.9em; margin-bottom: 1.5em; }}
.titlepage, .halftitlepage, .seriespage, .dedication, .epigraph {{ text-align: center; }}
.titlepage h1, .halftitlepage h1 {{ text-align: center; font-size: 2em; margin-top: 20%; }}
.titlepage .subtitle, .titlepage .author, .titlepage .contributor, .titlepage .publisher {{ text-align: center; margin-top: 1em; }}
.seriespage h1 {{ text-align: center; font-size: 1.2em; font-variant: small-caps; }}
.seriespage p {{ font-style: italic; margin-bottom: 0.4em; }}
.dedication, .epigraph {{ margin-top: 30%; font-style: italic; }}
.epigraph .attribution {{ font-style: normal; margin-top: 0.6em; }}
.copyright-page {{ font-size: 0.85em; margin-top: 2em; }}
.copyright-page p {{ margin-bottom: 0.6em; }}
.cover {{ text-align: center; margin: 0; padding: 0; }}
.cover img {{ max-width: 100%; max-height: 100%; }}
nav.toc ol {{ list-style-type: none; margin-left: 0; padding-left: 0; }}
nav.toc ol ol {{ margin-left: 1.5em; }}
nav.toc li {{ margin-bottom: 0.3em; }}
figure {{ margin: 1em 0; text-align: center; page-break-inside: avoid; }}
figure img {{ max-width: 100%; height: auto; }}
figcaption {{ font-size: 0.9em; font-style: italic; margin-top: 0.4em; }}
.credit {{ font-style: normal; font-size: 0.9em; }}
blockquote {{ margin: 1em 1.5em; }}
.pullquote {{ margin: 1.5em 1em; font-style: italic; text-align: center; }}
.pullquote .attribution {{ font-style: normal; }}
table {{ border-collapse: collapse; margin: 1em 0; width: 100%; }}
caption {{ font-style: italic; margin-bottom: 0.4em; }}
th, td {{ border: 1px solid #808080; padding: 0.2em 0.4em; vertical-align: top; }}
th {{ font-weight: bold; }}
pre {{ white-space: pre-wrap; font-family: monospace; margin: 1em 0; }}
hr.break {{ border: none; border-top: 1px solid #808080; width: 30%; margin: 1.5em auto; }}
a.noteref {{ vertical-align: super; font-size: 0.75em; line-height: 0; text-decoration: none; }}
section.footnotes {{ margin-top: 2em; border-top: 1px solid #808080; padding-top: 0.5em; }}
aside.footnote {{ font-size: 0.9em; margin-bottom: 0.5em; }}
.smallcaps {{ font-variant: small-caps; }}
.missing-image {{ font-style: italic; }}
.contributors {{ margin-top: 2em; font-size: 0.95em; }}
"""
    )
    return "\n".join(out)

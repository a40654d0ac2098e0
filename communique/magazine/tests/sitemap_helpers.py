"""Reading the split sitemap in tests: /sitemap.xml is an index, the URLs are in its parts."""
from urllib.parse import urlsplit

from lxml import etree

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def part_urls(client):
    """The index's part addresses, as paths with their query (?p=2)."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200, response.status_code
    root = etree.fromstring(response.content)
    assert root.tag == f"{SM}sitemapindex", root.tag
    out = []
    for loc in root.iter(f"{SM}loc"):
        parts = urlsplit(loc.text)
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def parts(client):
    """{part path: its <urlset> root} for every part the index lists."""
    found = {}
    for url in part_urls(client):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        found[url] = etree.fromstring(response.content)
    return found


def all_text(client):
    """Every part's XML, one after the other (for "is this address in the sitemap?")."""
    return "\n".join(client.get(url).content.decode() for url in part_urls(client))


def entries(client):
    """{loc: lastmod} over every part."""
    out = {}
    for root in parts(client).values():
        for u in root.iter(f"{SM}url"):
            out[u.findtext(f"{SM}loc")] = u.findtext(f"{SM}lastmod")
    return out

"""The one HTML reader (documents/readers/html.py): every HTML source keeps what the model holds.
Issue 7: on the same input the importers' old reader dropped internal links, non-http links,
small caps and strikeout, and turned <cite> into emphasis."""
from pathlib import Path

from communique.documents import model as dm
from communique.documents.readers.html import HtmlOptions, html_to_blocks, read_fragment

SAMPLE = ('<p>See <a href="#findings">the findings</a>, <a href="mailto:desk@example.org">write</a>, '
          '<a href="tel:+924212345678">call</a> or <a href="../archive/2023.html">the archive</a>. '
          '<span style="font-variant: small-caps">Nato</span> and <span class="smallcaps">Un</span>, '
          '<s>old</s> <del>gone</del>, <cite>The Diplomat</cite>.</p>')


def _find(nodes, kind):
    for n in nodes:
        if isinstance(n, kind):
            yield n
        yield from _find(getattr(n, "children", []), kind)


def test_links_of_every_kind_are_kept():
    [para] = read_fragment(SAMPLE)
    assert [link.href for link in _find(para.children, dm.Link)] == [
        "#findings", "mailto:desk@example.org", "tel:+924212345678", "../archive/2023.html"]


def test_small_caps_strikeout_and_cite_are_kept():
    [para] = read_fragment(SAMPLE)
    assert [dm.plain_text(n.children) for n in _find(para.children, dm.SmallCaps)] == ["Nato", "Un"]
    assert [dm.plain_text(n.children) for n in _find(para.children, dm.Strikeout)] == ["old", "gone"]
    assert [dm.plain_text(n.children) for n in _find(para.children, dm.Cite)] == ["The Diplomat"]
    assert not list(_find(para.children, dm.Emph))


def test_the_importers_entry_point_keeps_them_too():
    [para] = html_to_blocks(SAMPLE)
    assert len(list(_find(para.children, dm.Link))) == 4
    assert list(_find(para.children, dm.SmallCaps)) and list(_find(para.children, dm.Cite))


def test_options_base_url_images_sanitiser_and_warnings(tmp_path):
    picture = tmp_path / "p.png"
    picture.write_bytes(b"\x89PNG")
    warnings, missing, seen = [], [], []

    def resolve(src, alt):
        seen.append((src, alt))
        return picture if src == "p.png" else None

    blocks = read_fragment(
        '<p><a href="/oped/piece">piece</a> <a href="javascript:alert(1)">bad</a></p>'
        '<figure><img src="p.png" alt="A map"><figcaption>The map</figcaption></figure>'
        '<img src="https://cdn.example/x.jpg"><iframe src="//evil"></iframe><script>x()</script>',
        HtmlOptions(warnings.append, base_url="https://magazine.example/", resolve_image=resolve,
                    missing_image=missing.append, sanitise=lambda html: html.replace("piece", "article")))
    para, image = blocks[0], blocks[1]
    assert [link.href for link in _find(para.children, dm.Link)] == ["https://magazine.example/oped/article"]
    assert dm.plain_text(para.children) == "article bad"
    assert isinstance(image, dm.Image) and image.path == Path(picture) and image.caption == "The map"
    assert image.alt == "A map" and ("p.png", "A map") in seen
    assert missing == ["https://cdn.example/x.jpg"]
    assert any("javascript" in w for w in warnings) and any("<iframe>" in w for w in warnings)
    assert not any("<script>" in w for w in warnings)  # not content: skipped without a word


def test_wordpress_blocks_and_headings():
    blocks = html_to_blocks('<figure class="wp-block-pullquote"><blockquote><p>Ask more.</p><cite>An envoy</cite>'
                            '</blockquote></figure><h2>Section</h2><h4>Sub</h4><hr><pre>a  b</pre>')
    assert [type(b).__name__ for b in blocks] == ["PullQuote", "Heading", "Heading", "ThematicBreak", "CodeBlock"]
    assert blocks[0].attribution == "An envoy" and [b.level for b in blocks[1:3]] == [1, 2]


def test_wagtail_reader_reads_back_the_section_break():
    from communique.documents.readers.wagtail import _is_break

    assert _is_break(dm.Paragraph([dm.Text("* * *")]))
    assert not _is_break(dm.Paragraph([dm.Text("* * * and more")]))

"""HTML fragments → document blocks, without a database."""
from communique.documents import model as dm
from communique.importers.html import html_to_blocks
from communique.importers.wordpress import autop, expand_shortcodes


def kinds(blocks):
    return [type(b).__name__ for b in blocks]


def test_gutenberg_blocks():
    html = """<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Talk less, ask more.</p>
    <cite>An envoy</cite></blockquote></figure><!-- /wp:pullquote -->
    <!-- wp:embed --><figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">
    https://video.example/watch/123</div><figcaption>The press conference</figcaption></figure><!-- /wp:embed -->
    <ul><li>One <b>bold</b></li><li>Two<ul><li>Nested</li></ul></li></ul>
    <h4>Small heading</h4><hr/><pre>code  kept</pre>"""
    blocks = html_to_blocks(html)
    assert kinds(blocks) == ["PullQuote", "Paragraph", "ListBlock", "Heading", "ThematicBreak", "CodeBlock"]
    assert blocks[0].text == "Talk less, ask more." and blocks[0].attribution == "An envoy"
    link = blocks[1].children[0]
    assert isinstance(link, dm.Link) and link.href == "https://video.example/watch/123"
    assert dm.plain_text(link.children) == "The press conference"
    assert len(blocks[2].items) == 2 and isinstance(blocks[2].items[1][-1], dm.ListBlock)
    assert blocks[3].level == 2


def test_loose_text_and_unsafe_links():
    blocks = html_to_blocks('Loose <em>text</em> <a href="javascript:x()">click</a><div><p>Inside</p></div>tail')
    assert kinds(blocks) == ["Paragraph", "Paragraph", "Paragraph"]
    assert not any(isinstance(n, dm.Link) for n in blocks[0].children)
    assert dm.plain_text(blocks[0].children) == "Loose text click"
    assert dm.plain_text(blocks[2].children) == "tail"


def test_classic_editor_autop_and_caption_shortcode():
    warnings = []
    content = expand_shortcodes(
        'First paragraph\nwith a line break.\n\n[caption id="a" width="300"]<a href="/x.jpg"><img src="x.jpg" alt="X"></a> '
        "A caption[/caption]\n\n[gallery ids=\"1\"]Second paragraph.",
        warnings.append, "post 1",
    )
    html = autop(content)
    assert '<figure><img src="x.jpg" alt="X"><figcaption>A caption</figcaption></figure>' in html
    assert html.startswith("<p>First paragraph<br/>with a line break.</p>")
    assert "[gallery" not in html and warnings and "[gallery]" in warnings[0]

"""WordPress post HTML → document blocks, without a database (the WordPress layer over the one
HTML reader)."""
from communique.documents import model as dm
from communique.importers.wordpress import ContentContext, autop, expand_shortcodes, wordpress_html_to_blocks


def kinds(blocks):
    return [type(b).__name__ for b in blocks]


def _ctx(warnings, attachments=None):
    return ContentContext(where="post 1", warn=warnings.append, attachments=attachments or {}, post_id="1")


def test_gutenberg_blocks():
    warnings = []
    html = """<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Talk less, ask more.</p>
    <cite>An envoy</cite></blockquote></figure><!-- /wp:pullquote -->
    <!-- wp:embed --><figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">
    https://video.example/watch/123</div><figcaption>The press conference</figcaption></figure><!-- /wp:embed -->
    <ul><li>One <b>bold</b></li><li>Two<ul><li>Nested</li></ul></li></ul>
    <h4>Small heading</h4><hr/><pre>code  kept</pre><script>alert(1)</script>"""
    ctx = _ctx(warnings)
    blocks = wordpress_html_to_blocks(expand_shortcodes(html, ctx), ctx, image=lambda el: None)
    assert kinds(blocks) == ["PullQuote", "Embed", "ListBlock", "Heading", "ThematicBreak", "CodeBlock"]
    assert blocks[0].text == "Talk less, ask more." and blocks[0].attribution == "An envoy"
    assert blocks[1].url == "https://video.example/watch/123" and blocks[1].caption == "The press conference"
    assert len(blocks[2].items) == 2 and isinstance(blocks[2].items[1][-1], dm.ListBlock)
    assert blocks[5].text == "code  kept"
    assert any("<script>" in w for w in warnings)  # dropped, and said so


def test_classic_editor_autop_and_caption_shortcode():
    warnings = []
    ctx = _ctx(warnings)
    content = expand_shortcodes(
        'First paragraph\nwith a line break.\n\n[caption id="a" width="300"]<a href="/x.jpg"><img src="x.jpg" alt="X"></a> '
        "A caption[/caption]\n\n[gallery ids=\"1\"]Second paragraph. [sic]",
        ctx,
    )
    html = autop(content)
    assert '<figure><img src="x.jpg" alt="X"><figcaption>A caption</figcaption></figure>' in html
    assert html.startswith("<p>First paragraph<br/>with a line break.</p>")
    assert "[gallery" not in html and "[sic]" in html
    assert warnings == ["gallery image (attachment 1) is not in the export", "[gallery] has no images in the export; left out"]

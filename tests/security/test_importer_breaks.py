"""Issue 8 breaks 7 and 20, from the outside: the import command on hostile-but-plausible input."""
from pathlib import Path

import pytest
from django.core.management import call_command

WXR = Path(__file__).resolve().parents[2] / "communique/importers/tests/fixtures/wxr/export.xml"


def _post(text, extra, body="<p>Confidential terms of the settlement.</p>", date="2021-04-12 05:00:00"):
    post = (f"<item><title>Sealed</title><wp:post_id>777</wp:post_id><wp:status>publish</wp:status>"
            f"<wp:post_type>post</wp:post_type><wp:post_name>sealed</wp:post_name><wp:post_date_gmt>{date}</wp:post_date_gmt>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded>{extra}</item>\n</channel>")
    return text.replace("</channel>", post, 1)


def test_break_07_password_protected_wordpress_post_is_not_public(mag, tmp_path, client):
    from communique.magazine.models import ArticlePage

    path = tmp_path / "export.xml"
    path.write_text(_post(WXR.read_text(encoding="utf-8"), "<wp:post_password>enter</wp:post_password>"), encoding="utf-8")
    call_command("import", "wordpress", str(path))
    page = ArticlePage.objects.get(slug="sealed")
    assert not page.live
    assert not ArticlePage.objects.live().filter(slug="sealed").exists()
    page.save_revision().publish()  # an editor publishing it later still does not expose it
    body = client.get(ArticlePage.objects.get(pk=page.pk).url).content
    assert b"Confidential terms" not in body


@pytest.mark.parametrize("kind", ["wordpress", "page"])
def test_break_20_bad_image_url_and_invalid_date_are_errors_not_tracebacks(mag, tmp_path, capsys, kind):
    from communique.magazine.models import ArticlePage

    if kind == "wordpress":
        path = tmp_path / "export.xml"
        path.write_text(_post(WXR.read_text(encoding="utf-8"), "", body='<p>Words.</p><img src="http://[bad" alt="x"/>',
                              date="2021-02-30 25:61:00"), encoding="utf-8")
        call_command("import", "wordpress", str(path))
        title = "Sealed"
    else:
        path = tmp_path / "page.html"
        path.write_text(
            '<html><head><title>Quiet Channels</title><meta property="article:published_time" content="2021-02-30T10:00:00">'
            '</head><body><article><h1>Quiet Channels</h1><p>By Mira Castellane</p>'
            + "<p>When official talks stall, retired diplomats keep a line open for years on end.</p>" * 6
            + '<img src="http://[bad" alt="x"></article></body></html>', encoding="utf-8")
        call_command("import", "page", str(path), "--section", "Analysis")
        title = "Quiet Channels"
    err = capsys.readouterr().err
    page = ArticlePage.objects.get(title=title)
    assert "invalid date" in err and "2021-02-30" in err
    assert page.body  # imported, with the date left out rather than crashing

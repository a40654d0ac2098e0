"""A print issue's cover is one portrait crop (3:4) of its image on every page that shows it: the
issue list, the issue page and the home page's "In print" card (issue 12, defect 15: a 16:9 image
was cropped differently on each page)."""
import pytest
import io

from django.core.files.images import ImageFile
from lxml import html as lxml_html
from PIL import Image as PILImage

from communique.magazine.queries import ISSUE_COVER

from .factories import build_magazine


def landscape_with_subject_on_the_right():
    from wagtail.images import get_image_model

    picture = PILImage.new("RGB", (1600, 900), (20, 60, 160))
    picture.paste((220, 30, 30), (1100, 0, 1600, 900))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Cover photograph", file=ImageFile(buffer, name="cover.png"),
        focal_point_x=1250, focal_point_y=450, focal_point_width=200, focal_point_height=200,
    )

pytestmark = pytest.mark.django_db


def cover_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = lxml_html.fromstring(response.content).cssselect("img.cover")
    assert len(found) == 1, f"{url} shows {len(found)} covers"
    return found[0]


def test_one_portrait_rendition_of_the_cover_on_list_issue_and_home(client):
    mag = build_magazine(n_articles=3)
    # A landscape photograph, as editors upload them, with its subject (red) well right of centre.
    image = landscape_with_subject_on_the_right()
    issue = mag["issue"]
    issue.cover_image = image
    issue.save_revision().publish()

    imgs = {
        "issue list": cover_of(client, mag["issue_index"].url),
        "issue page": cover_of(client, issue.url),
        "home": cover_of(client, mag["home"].url),
    }
    sources = {name: img.get("src") for name, img in imgs.items()}
    assert len(set(sources.values())) == 1, sources

    renditions = image.renditions.all()
    assert [r.filter_spec for r in renditions] == [ISSUE_COVER] == ["fill-600x800|format-webp"]
    rendition = renditions[0]
    assert (rendition.width, rendition.height) == (600, 800)
    assert rendition.width * 4 == rendition.height * 3  # 3:4 portrait
    with PILImage.open(rendition.file.path) as stored:
        assert stored.size == (600, 800) and stored.format == "WEBP"
        # The crop follows the focal point (Wagtail keeps it where it sits across the image, 78%
        # here): the subject is red there, where a centre crop would show blue background.
        assert stored.convert("RGB").getpixel((470, 400))[0] > 200, "the cover is not cropped to its subject"
    for name, img in imgs.items():
        assert (img.get("width"), img.get("height")) == ("600", "800"), name
    assert imgs["issue page"].get("alt") == f"Cover of {issue.title}"
    # Decorative where a text link beside it names the issue.
    assert imgs["issue list"].get("alt") == "" and imgs["home"].get("alt") == ""

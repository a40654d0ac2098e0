"""Published articles with known text, on top of the magazine test factory."""
from datetime import datetime, timezone

from communique.magazine.models import ArticleAuthor, ArticlePage
from communique.magazine.tests.factories import _publish, build_magazine

LAVROV = (
    "<p>Foreign Minister Sergey Lavrov arrived in Islamabad on 7 April 2021 for talks with Shah Mahmood Qureshi. "
    "Russia and Pakistan signed an agreement on 12 May 2015 to build the North–South Gas Pipeline.</p>"
    "<p>The Pakistan Stream Gas Pipeline will cost 2 billion USD and run 1,100 km from Karachi to Lahore. "
    "Russia will hold 26 per cent of the shares. Engineers of Sui Southern met in Karachi.</p>"
)
SCO = (
    "<p>Pakistan joined the Shanghai Cooperation Organization in 2017. Sergey Lavrov praised Pakistan and "
    "Russia at the summit in Dushanbe on 16 September 2022.</p>"
)


def magazine_with_articles(texts=(LAVROV, SCO)):
    mag = build_magazine(n_articles=1, with_images=False)
    section = mag["section"]["oped"] if "oped" in mag["section"] else mag["sections"][0]
    pages = []
    for i, html in enumerate(texts):
        page = ArticlePage(title=f"Research test article {i + 1}", slug=f"research-test-{i + 1}",
                           date=datetime(2021 + i, 4, 8, tzinfo=timezone.utc),
                           body=[{"type": "paragraph", "value": html}])
        page.article_authors = [ArticleAuthor(author=mag["authors"][0], sort_order=0)]
        section.add_child(instance=page)
        pages.append(_publish(page))
    return mag, pages

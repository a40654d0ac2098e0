"""The committed sample book is what its generator writes, and meets the CI brief: 30,000+
words of original prose, front matter, footnotes, figures with alt text, cover art."""
import re
from pathlib import Path

import yaml
from PIL import Image

from communique.books.sample import generate

SAMPLE = Path(generate.__file__).resolve().parent


def test_committed_manuscript_matches_the_generator():
    assert (SAMPLE / "manuscript.md").read_text(encoding="utf-8") == generate.manuscript_text()


def test_sample_meets_the_brief():
    text = (SAMPLE / "manuscript.md").read_text(encoding="utf-8")
    _, fm, body = text.split("---\n", 2)
    meta = yaml.safe_load(fm)
    assert meta["title"] and meta["isbn_ebook"] != meta["isbn_paperback"]
    assert len(body.split()) >= 30_000
    refs = set(re.findall(r"\[\^(n\d+)\](?!:)", body))
    defs = set(re.findall(r"^\[\^(n\d+)\]:", body, re.M))
    assert len(refs) >= 30 and refs == defs
    images = re.findall(r"!\[([^\]]+)\]\((images/[^ )]+)", body)
    assert len(images) >= 4
    for alt, rel in images:
        assert 0 < len(alt) < 140
        with Image.open(SAMPLE / rel) as im:
            assert im.mode == "RGB" and im.width >= 1510  # 300 ppi across a 6 × 9 text block
    with Image.open(SAMPLE / meta["cover_image"]) as im:
        assert im.mode == "RGB" and im.height / im.width == 1.6

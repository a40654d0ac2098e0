"""Issue 8, High #2: a few hundred bytes of YAML front matter with nested aliases ("billion laughs")
drove the process past 6 GB, or stored a 52 MB title. Front matter is parsed in one place
(communique.documents.frontmatter), which refuses anchors and aliases and bounds sizes; every caller
(the Markdown reader, the KDP kit, the Markdown importer) goes through it."""
import subprocess
import sys
import textwrap

import pytest
from django.core.management import CommandError, call_command

from communique.importers.tests.conftest import counts, home  # noqa: F401  (fixture)


def bomb(levels: int) -> str:
    """Front matter whose title expands to 9**levels strings of "lol" once turned into text."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{','.join([prev] * 9)}]")
    lines.append(f"title: *a{levels - 1}")
    return "---\n" + "\n".join(lines) + "\n---\n\n# Chapter\n\nText.\n"


def test_bomb_is_small_but_would_expand_past_50_mb():
    text = bomb(9)
    assert len(text.encode()) < 600
    assert 9 ** 9 * len("'lol', ") > 50_000_000


def test_big_bomb_is_refused_under_a_memory_limit(tmp_path):
    """Run in a child limited to 1 GB of address space, so a regression cannot take the machine
    down: today's parser either runs out of memory or builds a title of hundreds of MB."""
    md = tmp_path / "bomb.md"
    md.write_text(bomb(9), encoding="utf-8")
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from communique.documents.readers import ReaderError, read_markdown
        try:
            doc = read_markdown({str(md)!r})
        except ReaderError as exc:
            print("REFUSED:", exc)
            sys.exit(0)
        except MemoryError:
            print("OUT OF MEMORY")
            sys.exit(3)
        print("ACCEPTED title of", len(doc.meta.title), "characters")
        sys.exit(4)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "REFUSED:" in done.stdout
    assert "alias" in done.stdout and "not allowed" in done.stdout
    assert "bomb.md" in done.stdout and "at line 2" in done.stdout  # the first anchor, on line 2


def test_reader_refuses_a_single_alias():
    from communique.documents.readers import ReaderError, read_markdown

    text = "---\nauthor: &who Amina Khan\ntitle: *who\n---\n\n# One\n\nText.\n"
    with pytest.raises(ReaderError, match=r"anchor \(&who\).*not allowed.*at line 2"):
        read_markdown(text)


@pytest.mark.parametrize("front, problem", [
    ("title: " + "x" * 30_000, r"value of 30,007 characters|value of 30,000 characters"),
    ("title: T\ndescription: |\n" + "  line of text\n" * 6_000, r"is [\d,]+ bytes \(limit 65,536\)"),
    ("title: " + "[" * 30 + "]" * 30, r"nested more than 10 levels"),
    ("keywords: [" + ",".join(["k"] * 6_000) + "]", r"more than 5000 values"),
])
def test_limits_name_the_problem(front, problem):
    from communique.documents import frontmatter

    with pytest.raises(frontmatter.FrontMatterError, match=problem):
        frontmatter.split(f"---\n{front}\n---\n\nBody.\n", "book.md")


def test_ordinary_front_matter_still_reads():
    from communique.documents.readers import read_markdown

    doc = read_markdown("---\ntitle: Listening Tours\nauthors:\n  - name: Priya\n    role_line: Fellow\n"
                        "date: 2024-05-06\nkeywords: [a, b]\n---\n\n# One\n\nText.\n")
    assert doc.meta.title == "Listening Tours"
    assert doc.meta.date == "2024-05-06"
    assert [c.role_line for c in doc.meta.contributors] == ["Fellow"]
    assert doc.front_matter["keywords"] == ["a", "b"]


def test_kit_refuses_the_bomb(tmp_path):
    from communique.kdp.kit import KitError, front_matter_of, read_source

    md = tmp_path / "bomb.md"
    md.write_text(bomb(3), encoding="utf-8")  # small: today's parser would accept it harmlessly
    with pytest.raises(KitError, match="not allowed"):
        read_source(md)
    with pytest.raises(KitError, match="not allowed"):
        front_matter_of(md)


def test_markdown_import_refuses_the_bomb(home, tmp_path):  # noqa: F811
    md = tmp_path / "bomb.md"
    md.write_text(bomb(3), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match=r"'bomb.md' has broken front matter at line 2: .*anchor.*not allowed"):
        call_command("import", "markdown", str(md))
    assert counts() == before

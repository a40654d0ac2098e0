"""`communique translate …` end to end: machine draft, export, import, EPUBs checked by EPUBCheck."""
import json
import re
from pathlib import Path

import pytest

from communique.cli import main
from communique.translation.xliff import NS

from .conftest import SMALL, needs_apertium


def run(*args):
    main(["translate", *map(str, args)])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from .conftest import HAVE_APERTIUM

    work = tmp_path_factory.mktemp("translate-cli")
    manuscript = work / "small.md"
    manuscript.write_text(SMALL, encoding="utf-8")
    out = {"work": work, "manuscript": manuscript, "epubs": []}
    if HAVE_APERTIUM:
        run(manuscript, "--to", "es", "--engine", "apertium", "--out", work / "mt")
        out["epubs"].append(work / "mt" / "es" / "small.es.epub")
    # A translator's Urdu file: exported empty, filled in (codes kept), imported.
    xlf = work / "small.ur.xlf"
    run("export", manuscript, "--to", "ur", "--format", "xliff", "-o", xlf)
    text = xlf.read_text(encoding="utf-8")

    def fill(mt):
        seg = mt.group(0)
        src = re.search(r"<source>(.*?)</source>", seg, re.S).group(1)
        urdu = re.sub(r">([^<]+)<", lambda t: ">" + "اردو متن" + "<", f">{src}<")[1:-1] if src.strip() else src
        return seg.replace("</source>", f"</source><target>{urdu}</target>")
    filled = re.sub(r'<segment [^>]*>.*?</segment>', fill, text, flags=re.S)
    xlf.write_text(filled, encoding="utf-8")
    run("import", xlf, "--source", manuscript, "--out", work / "tr")
    out["epubs"].append(work / "tr" / "ur" / "small.ur.epub")
    return out


@needs_apertium
def test_machine_draft_writes_manuscript_epub_and_qa_report(built):
    folder = built["work"] / "mt" / "es"
    md = (folder / "small.es.md").read_text(encoding="utf-8")
    assert "language: es" in md and "coche" in md
    assert "[^n1]" in md and "(<https://example.org/report?a=1&b=2>)" in md
    qa = json.loads((folder / "small.es.qa.json").read_text(encoding="utf-8"))
    assert qa["segments"] == qa["translated"] == qa["states"]["machine"] == qa["drafts"]
    # The translated manuscript renders like any other.
    from communique.translation.adapter import read_manuscript
    assert read_manuscript(folder / "small.es.md").meta.language == "es"


def test_import_writes_the_translation_with_the_codes_in_place(built):
    folder = built["work"] / "tr" / "ur"
    md = (folder / "small.ur.md").read_text(encoding="utf-8")
    assert "language: ur" in md and "اردو متن" in md and "[^n1]" in md
    qa = json.loads((folder / "small.ur.qa.json").read_text(encoding="utf-8"))
    assert qa["states"] == {"translated": qa["segments"]}
    assert qa["by_check"].get("codes", 0) == 0


@pytest.mark.java
def test_translated_epubs_pass_epubcheck(built):
    from communique.editions.epub.validate import EpubCheckUnavailable, check_epubs

    try:
        results = check_epubs(built["epubs"])
    except EpubCheckUnavailable as exc:
        pytest.skip(f"EPUBCheck cannot run: {exc}")
    for path, r in results.items():
        assert r.clean, f"{path.name}: {r.fatals} fatal, {r.errors} errors, {r.warnings} warnings\n" + "\n".join(r.messages)
    assert len(results) == len(built["epubs"]) >= 1


def test_bad_input_is_a_clear_error(tmp_path, capsys):
    manuscript = tmp_path / "small.md"
    manuscript.write_text(SMALL, encoding="utf-8")
    for args, message in [
        ((tmp_path / "nope.md", "--to", "es", "--out", tmp_path / "o"), "no such manuscript"),
        ((manuscript, "--to", "xx", "--engine", "none", "--out", tmp_path / "o"), "unknown language 'xx'"),
        ((manuscript, "--to", "es", "--engine", "bogus", "--out", tmp_path / "o"), "unknown translation engine"),
        (("import", tmp_path / "missing.xlf", "--source", manuscript, "--out", tmp_path / "o"), "no such file"),
    ]:
        with pytest.raises(SystemExit):
            run(*args)
        assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    bad = tmp_path / "bad.xlf"
    bad.write_text(f'<xliff xmlns="{NS}" version="2.0" srcLang="en" trgLang="es"><file id="f1" original="other"/></xliff>')
    with pytest.raises(SystemExit):
        run("import", bad, "--source", manuscript, "--out", tmp_path / "o")
    assert "made for document 'other'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()

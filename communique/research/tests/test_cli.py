import json

import pytest

from communique.cli import main


def test_extract_json_on_the_seed(seed_path, capsys):
    main(["research", "extract", str(seed_path), "--json", "--published", "2021-04-08"])
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"people", "organisations", "places", "events", "dates", "figures"}
    people = {p["name"]: p for p in data["people"]}
    assert "Shah Mahmood Qureshi" in people
    assert {"name", "aliases", "mentions"} <= set(people["Sergey Lavrov"])
    assert {"Nawabshah", "Nankana Sahib"} <= {p["name"] for p in data["places"]}
    assert "Shanghai Cooperation Organization" in {o["name"] for o in data["organisations"]}
    troika = [d for d in data["dates"] if "Troika" in d["sentence"] and d["date"].startswith("2019")]
    assert [d["date"] for d in troika] == ["2019-03-22", "2019-04-25", "2019-07-11", "2019-10-25"]
    assert all(set(d) >= {"date", "precision", "text", "sentence"} for d in data["dates"])
    figures = {(f["value"], f["unit"]) for f in data["figures"]}
    assert figures == {(26, "percentage"), (2000000000, "united states dollar"), (12400000000, "cubic foot"),
                       (800, "kilometre")}
    assert all(isinstance(f["value"], (int, float)) and f["sentence"] for f in data["figures"])
    assert "GeoNames" in data["attribution"]


def test_bad_inputs_name_the_problem(tmp_path, capsys):
    from django.core.management.base import CommandError

    with pytest.raises((CommandError, SystemExit)):
        main(["research", "extract", str(tmp_path / "missing.md")])
    assert "missing.md" in capsys.readouterr().err
    bad = tmp_path / "a.md"
    bad.write_text("# T\n\nText on 3 May 2020.\n")
    with pytest.raises((CommandError, SystemExit)):
        main(["research", "extract", str(bad), "--published", "May 2020"])
    assert "--published must be YYYY-MM-DD" in capsys.readouterr().err

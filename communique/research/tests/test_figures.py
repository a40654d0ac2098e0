from communique.research.figures import find_figures


def _figs(text):
    return [(f.value, f.unit, f.kind, f.text) for f in find_figures(text)]


def test_money_volume_length_and_per_cent():
    text = ("The Russian side will acquire 26 per cent of the shares. The project is estimated to cost "
            "around 2 billion USD with an annual capacity to transport 12.4 billion cubic feet of gas "
            "along this 800 km long pipeline.")
    assert _figs(text) == [
        (26, "percentage", "percent", "26 per cent"),
        (2e9, "united states dollar", "money", "2 billion USD"),
        (12.4e9, "cubic foot", "quantity", "12.4 billion cubic feet"),
        (800, "kilometre", "quantity", "800 km"),
    ]


def test_bare_counts_and_durations_are_not_figures():
    assert _figs("a two-day visit after 20 years, with access to 11 global markets and 300 million readers") == []

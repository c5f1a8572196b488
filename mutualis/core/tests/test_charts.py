import xml.etree.ElementTree as ET
from decimal import Decimal

from mutualis.core.charts import bar_chart, line_chart, radar_chart

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 - our own SVG output


def test_bar_chart_is_valid_svg_with_an_accessible_title_and_escaped_text():
    svg = bar_chart(
        ["2024", "<b>2025</b>"],
        {"Appelé": [475, Decimal("951.00")], "Payé": [475, None]},
        title="Contributions & paiements",
        unit="€",
    )
    root = _parse(svg)
    assert root.find(f"{NS}title").text == "Contributions & paiements"
    assert "<b>" not in str(svg)
    assert len(root.findall(f"{NS}rect")) >= 4
    assert "951" in root.find(f"{NS}desc").text


def test_a_chart_without_data_is_one_sentence_not_an_empty_drawing():
    for chart in (
        bar_chart(["a"], {"x": [0], "y": [0]}, title="Vide", stacked=True),
        bar_chart([], {}, title="Vide"),
        line_chart(["S1", "S2"], {"Maturité": [None, None]}, title="Vide"),
        radar_chart(["A", "B", "C"], {"2024": [None, None, None]}, title="Vide"),
    ):
        assert "<svg" not in chart
        assert "Vide : aucune donnée à représenter pour l'instant." in chart


def test_count_axes_use_whole_numbers():
    root = _parse(bar_chart(["a", "b"], {"Communes": [3, 1]}, title="Communes"))
    ticks = [t.text for t in root.findall(f"{NS}text") if t.get("text-anchor") == "end"]
    assert ticks == ["0", "1", "2", "3", "4"]


def test_radar_labels_are_never_cut():
    title = "Sauvegardes et restauration des données essentielles de la mairie"
    svg = str(radar_chart([title, "Comptes", "Messagerie"], {"2025": [50, 60, 70]}, title="T"))
    root = _parse(svg)
    spans = [s.text for s in root.iter(f"{NS}tspan")]
    assert " ".join(spans[: len(spans) - 2]) == title


def test_line_chart_breaks_on_missing_values():
    root = _parse(line_chart(["S1", "S2", "S3"], {"Maturité": [40, None, 55]}, title="Tendance"))
    assert len(root.findall(f"{NS}circle")) == 2
    assert root.findall(f"{NS}polyline") == []


def test_radar_chart_has_one_axis_per_theme():
    root = _parse(
        radar_chart(
            ["Gouvernance", "Sauvegardes", "Comptes"],
            {"2024": [50, 20, None], "2025": [70, 60, 40]},
            title="Scores",
        )
    )
    assert len(root.findall(f"{NS}polygon")) == 4 + 2

import contextlib
import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.territory.etalab import EtalabFormatError, load_json, parse_communes, parse_epcis

COMMUNE = {
    "code": "31402",
    "nom": "Odars",
    "type": "commune-actuelle",
    "siren": "213104029",
    "departement": "31",
    "population": 948,
}


def test_it_keeps_only_current_communes():
    deleguee = {**COMMUNE, "code": "31999", "type": "commune-deleguee"}
    records = parse_communes([COMMUNE, deleguee])
    assert [r.insee_code for r in records] == ["31402"]


def test_missing_siren_and_population_are_data_not_errors():
    record = {k: v for k, v in COMMUNE.items() if k not in {"siren", "population"}}
    (parsed,) = parse_communes([record])
    assert parsed.siren == "" and parsed.population_municipal is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": 31402}, "code"),
        ({"code": "ABCDE"}, "code"),
        ({"population": "948"}, "population"),
        ({"population": -3}, "population"),
        ({"siren": "12"}, "siren"),
        ({"nom": None}, "nom"),
    ],
)
def test_malformed_record_is_refused_naming_record_and_field(change, field):
    record = {**COMMUNE, **change}
    with pytest.raises(EtalabFormatError) as error:
        parse_communes([COMMUNE, record], source="communes-2026.json")
    message = str(error.value)
    assert "communes-2026.json" in message
    assert "enregistrement n° 2" in message
    assert f"« {field} »" in message


def test_epci_members_carry_legal_populations():
    data = [
        {
            "code": "243100633",
            "nom": "CA du Sicoval",
            "type": "CA",
            "modeFinancement": "FPU",
            "membres": [
                {
                    "code": "31402",
                    "siren": "213104029",
                    "nom": "Odars",
                    "populationTotale": 951,
                    "populationMunicipale": 936,
                }
            ],
        }
    ]
    (epci,) = parse_epcis(data)
    assert epci.members[0].population_total == 951


def test_epci_without_members_list_is_refused():
    with pytest.raises(EtalabFormatError, match="membres"):
        parse_epcis([{"code": "243100633", "nom": "X"}])


def test_load_json_reads_gzip_and_refuses_garbage(tmp_path):
    good = tmp_path / "a.json.gz"
    good.write_bytes(gzip.compress(json.dumps([COMMUNE]).encode()))
    assert load_json(good)[0]["code"] == "31402"
    bad = tmp_path / "b.json"
    bad.write_text("{not json")
    with pytest.raises(EtalabFormatError, match="JSON"):
        load_json(bad)
    with pytest.raises(EtalabFormatError, match="introuvable"):
        load_json(tmp_path / "missing.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "code": st.one_of(st.text(max_size=6), st.integers(), st.just("31402")),
        "nom": st.one_of(st.text(max_size=5), st.none(), st.integers()),
        "type": st.sampled_from(["commune-actuelle", "commune-deleguee", 3, None]),
        "siren": st.one_of(st.text(max_size=10), st.just("213104029")),
        "population": st.one_of(st.integers(), st.text(max_size=3)),
        "membres": st.one_of(json_values, st.lists(json_values, max_size=3)),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(json_values, st.lists(st.one_of(records, json_values), max_size=5)))
def test_parsers_never_crash_on_arbitrary_json(data):
    for parse in (parse_communes, parse_epcis):
        with contextlib.suppress(EtalabFormatError):
            parse(data)

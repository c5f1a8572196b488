import gzip
import json
import tracemalloc

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.core.testing.bombs import gzip_of_whitespace
from mutualis.territory.models import Commune, Epci, Population, active_commune_count

SICOVAL = "243100633"


def _files(tmp_path, communes, epcis, name="x"):
    c = tmp_path / f"communes-{name}.json.gz"
    e = tmp_path / f"epci-{name}.json.gz"
    c.write_bytes(gzip.compress(json.dumps(communes).encode()))
    e.write_bytes(gzip.compress(json.dumps(epcis).encode()))
    return str(c), str(e)


def _commune(code, name, pop=100):
    return {
        "code": code,
        "nom": name,
        "type": "commune-actuelle",
        "siren": "2" + code + "000",
        "departement": code[:2],
        "population": pop,
    }


def _epci(siren, members):
    return {
        "code": siren,
        "nom": f"CC {siren}",
        "type": "CC",
        "modeFinancement": "FPU",
        "membres": [
            {
                "code": code,
                "siren": "2" + code + "000",
                "nom": code,
                "populationTotale": total,
                "populationMunicipale": total - 10,
            }
            for code, total in members
        ],
    }


@pytest.mark.django_db
def test_demo_territory_has_the_real_sicoval_populations():
    assert Commune.objects.filter(epci__siren=SICOVAL).count() == 36
    assert Commune.objects.get(name="Castanet-Tolosan").population_total == 15500
    odars = Commune.objects.get(insee_code="31402")
    assert (odars.population_total, odars.population_vintage) == (951, 2026)
    assert odars.populations_total_by_vintage() == {2024: 950, 2025: 951, 2026: 951}


@pytest.mark.django_db
def test_second_run_writes_nothing_and_says_so(tmp_path, capsys):
    communes, epcis = _files(
        tmp_path, [_commune("99001", "Alpha")], [_epci("200000001", [("99001", 500)])]
    )
    call_command(
        "import_territory", communes=communes, epcis=epcis, vintage=2030, allow_deactivations=True
    )
    with CaptureQueriesContext(connection) as queries:
        call_command("import_territory", communes=communes, epcis=epcis, vintage=2030)
    out = capsys.readouterr().out
    assert "déjà à jour, rien n'a été écrit" in out
    writes = [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


@pytest.mark.django_db
def test_commune_without_epci_keeps_only_its_municipal_population(tmp_path):
    communes, epcis = _files(tmp_path, [_commune("97501", "Saint-Pierre", pop=5800)], [])
    call_command(
        "import_territory", communes=communes, epcis=epcis, vintage=2030, allow_deactivations=True
    )
    population = Population.objects.get(commune__insee_code="97501", vintage=2030)
    assert (population.total, population.municipal, population.source) == (None, 5800, "communes")


@pytest.mark.django_db
def test_older_vintage_only_adds_populations(tmp_path):
    new_c, new_e = _files(
        tmp_path, [_commune("99001", "Alpha")], [_epci("200000001", [("99001", 500)])], "new"
    )
    call_command(
        "import_territory", communes=new_c, epcis=new_e, vintage=2030, allow_deactivations=True
    )
    old_c, old_e = _files(
        tmp_path,
        [_commune("99001", "Alpha-Ancien"), _commune("99002", "Beta")],
        [_epci("200000001", [("99001", 450), ("99002", 80)])],
        "old",
    )
    call_command("import_territory", communes=old_c, epcis=old_e, vintage=2029)
    alpha = Commune.objects.get(insee_code="99001")
    assert alpha.name == "Alpha"
    assert alpha.population_total == 500 and alpha.population_vintage == 2030
    assert alpha.populations_total_by_vintage() == {2029: 450, 2030: 500}
    assert not Commune.objects.filter(insee_code="99002").exists()


@pytest.mark.django_db
def test_merged_commune_is_marked_inactive_never_deleted(tmp_path):
    first = _files(
        tmp_path,
        [_commune("99001", "A"), _commune("99002", "B")],
        [_epci("200000001", [("99001", 50), ("99002", 60)])],
        "a",
    )
    call_command(
        "import_territory", communes=first[0], epcis=first[1], vintage=2030, epci="200000001"
    )
    second = _files(tmp_path, [_commune("99001", "A")], [_epci("200000001", [("99001", 110)])], "b")
    call_command(
        "import_territory",
        communes=second[0],
        epcis=second[1],
        vintage=2031,
        epci="200000001",
        allow_deactivations=True,
    )
    gone = Commune.objects.get(insee_code="99002")
    assert gone.is_active is False
    assert gone.populations.count() == 1


@pytest.mark.django_db
def test_an_import_forgets_the_kept_count_of_communes(tmp_path):
    """The dashboard keeps the number of active communes (`active_commune_count`); an import
    inserts and deactivates in bulk, past Commune.save(), and forgets it itself."""
    before = active_commune_count()
    files = _files(
        tmp_path,
        [_commune("99001", "A"), _commune("99002", "B")],
        [_epci("200000001", [("99001", 50), ("99002", 60)])],
    )
    call_command(
        "import_territory", communes=files[0], epcis=files[1], vintage=2030, epci="200000001"
    )
    assert active_commune_count() == before + 2 == Commune.objects.active().count()


@pytest.mark.django_db
def test_malformed_file_writes_nothing(tmp_path):
    before = (Commune.objects.count(), Population.objects.count(), Epci.objects.count())
    bad = _commune("99003", "Bad")
    bad["population"] = "douze"
    communes, epcis = _files(
        tmp_path, [_commune("99001", "Alpha"), bad], [_epci("200000001", [("99001", 50)])]
    )
    with pytest.raises(CommandError) as error:
        call_command("import_territory", communes=communes, epcis=epcis, vintage=2030)
    assert "enregistrement n° 2 (code 99003)" in str(error.value)
    assert "« population »" in str(error.value)
    assert (Commune.objects.count(), Population.objects.count(), Epci.objects.count()) == before


@pytest.mark.django_db
def test_epci_filter_imports_only_its_communes(tmp_path):
    communes, epcis = _files(
        tmp_path,
        [_commune("99001", "A"), _commune("99002", "B")],
        [_epci("200000001", [("99001", 50)]), _epci("200000002", [("99002", 60)])],
    )
    call_command("import_territory", communes=communes, epcis=epcis, vintage=2030, epci="200000001")
    assert Commune.objects.filter(insee_code="99001").exists()
    assert not Commune.objects.filter(insee_code="99002").exists()


@pytest.mark.django_db
def test_unknown_epci_is_refused(tmp_path):
    communes, epcis = _files(tmp_path, [], [])
    with pytest.raises(CommandError, match="999999999"):
        call_command(
            "import_territory", communes=communes, epcis=epcis, vintage=2030, epci="999999999"
        )


@pytest.mark.django_db
def test_latest_population_is_refreshed_by_one_short_update_whatever_the_number_of_communes(
    tmp_path,
):
    # A bulk_update of every commune built one CASE branch per commune: 9 s of a 15 s import of
    # France (bench/run.py, figure "import France: time"). A first import inserts each commune
    # with its latest population (no UPDATE at all); a newer vintage refreshes them with one
    # UPDATE and a subquery.
    codes = [f"{department}{n:03d}" for department in ("96", "97", "98") for n in range(1, 1000)]

    def population_updates(vintage: int, base: int) -> list[str]:
        communes, epcis = _files(
            tmp_path,
            [_commune(code, code) for code in codes],
            [_epci("200000001", [(code, base + n) for n, code in enumerate(codes)])],
        )
        with CaptureQueriesContext(connection) as queries:
            call_command(
                "import_territory",
                communes=communes,
                epcis=epcis,
                vintage=vintage,
                allow_deactivations=True,
            )
        return [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith('UPDATE "TERRITORY_COMMUNE"')
            and '"population_total"' in q["sql"]
        ]

    assert population_updates(2030, 1000) == []
    assert Commune.objects.get(insee_code="98999").population_total == 1000 + len(codes) - 1
    assert Commune.objects.filter(insee_code__in=codes, population_vintage=2030).count() == len(
        codes
    )

    updates = population_updates(2031, 5000)
    assert len(updates) == 1
    assert len(updates[0]) < 1000
    assert Commune.objects.get(insee_code="98999").population_total == 5000 + len(codes) - 1
    assert Commune.objects.filter(insee_code__in=codes, population_vintage=2031).count() == len(
        codes
    )


@pytest.mark.django_db
def test_an_empty_communes_file_deactivates_nothing_without_the_flag(tmp_path):
    active = Commune.objects.filter(is_active=True).count()
    communes, epcis = _files(tmp_path, [], [])
    with pytest.raises(CommandError) as refused:
        call_command("import_territory", communes=communes, epcis=epcis, vintage=2030)
    assert f"désactiverait {active} communes sur les {active} actives" in str(refused.value)
    assert "--allow-deactivations" in str(refused.value)
    assert Commune.objects.filter(is_active=True).count() == active


@pytest.mark.django_db
def test_deactivations_go_through_when_the_operator_allows_them(tmp_path):
    communes, epcis = _files(tmp_path, [_commune("99001", "Alpha")], [])
    call_command(
        "import_territory", communes=communes, epcis=epcis, vintage=2030, allow_deactivations=True
    )
    assert list(Commune.objects.filter(is_active=True).values_list("insee_code", flat=True)) == [
        "99001"
    ]


@pytest.mark.django_db
def test_a_gzip_of_whitespace_is_refused_before_it_fills_the_memory(tmp_path):
    communes = tmp_path / "communes-2030.json.gz"
    communes.write_bytes(gzip_of_whitespace(1024))
    epcis = tmp_path / "epci-2030.json"
    epcis.write_text("[]")
    tracemalloc.start()
    with pytest.raises(CommandError, match="se décompresse en plus de"):
        call_command("import_territory", communes=communes, epcis=epcis, vintage=2030)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 96 * 1048576


@pytest.mark.django_db
def test_a_file_not_in_utf8_is_answered_in_french(tmp_path):
    communes = tmp_path / "communes-2030.json"
    communes.write_bytes('[{"nom": "Labège"}]'.encode("cp1252"))
    with pytest.raises(CommandError, match="n'est pas en UTF-8"):
        call_command("import_territory", communes=communes, epcis=communes, vintage=2030)

"""« de » before a name: elided before a vowel, contracted before « Le »/« Les », on every page
and message that names a commune."""

import pytest
from django.template import Context, Template

from mutualis.core.french import de_name

# The Sicoval communes whose name begins with a vowel sound.
ELIDED = {
    "Aureville",
    "Auzeville-Tolosane",
    "Auzielle",
    "Ayguesvives",
    "Escalquens",
    "Espanès",
    "Issus",
    "Odars",
}


@pytest.mark.django_db
def test_every_sicoval_name_takes_the_right_preposition():
    from mutualis.territory.models import Commune

    names = set(
        Commune.objects.filter(epci__name__icontains="Sicoval").values_list("name", flat=True)
    )
    assert len(names) == 36 and names >= ELIDED
    for name in names:
        expected = f"d'{name}" if name in ELIDED else f"de {name}"
        assert de_name(name) == expected
        assert Template("{% load french %}{{ name|de }}").render(Context({"name": name})) == (
            expected.replace("'", "&#x27;")
        )


def test_articles_contract_and_h_keeps_de_unless_mute():
    assert de_name("Le Faget") == "du Faget"
    assert de_name("Les Varennes") == "des Varennes"
    assert de_name("La Salvetat-Saint-Gilles") == "de La Salvetat-Saint-Gilles"
    assert de_name("Lézat-sur-Lèze") == "de Lézat-sur-Lèze"
    assert de_name("Hyères") == "d'Hyères"
    assert de_name("Honfleur") == "de Honfleur"
    assert de_name("Écully") == "d'Écully"


@pytest.mark.django_db
def test_pages_and_messages_elide_the_commune_name(client, finance, odars, referent):
    from mutualis.cyber.services import CyberRefused, start_diagnostic

    client.force_login(finance)
    page = client.get("/contributions/communes/31036/").content.decode()
    assert "Contributions d&#x27;Auzielle" in page and "de Auzielle" not in page
    with pytest.raises(CyberRefused, match="Un diagnostic d'Odars est déjà en cours"):
        start_diagnostic(commune=odars, by=referent, reason="x")

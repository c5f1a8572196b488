"""The Sicoval 2027 successor: prepared in March 2027, renewed by the councils before the first
programme ends, running from 1 July 2027 with its own rates; the old reviews stay as they were."""

from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.utils import timezone

from mutualis.contributions.models import Call
from mutualis.contributions.services import issue_calls
from mutualis.membership.enums import Status
from mutualis.membership.models import Deliberation, Membership, RenewalRefusal
from mutualis.membership.services import (
    TransitionRefused,
    close_memberships,
    refuse_renewal,
    renew_membership,
)
from mutualis.programme.models import Programme
from mutualis.programme.services import load_programme, open_programme, prepare_successor
from mutualis.reviews.models import Review
from mutualis.territory.models import Commune, Population

pytestmark = pytest.mark.django_db

AUZIELLE, CORRONSAC = "31036", "31151"


@contextmanager
def _on(day: date):
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def _deliberation(commune, day: date, *, findings=()) -> Deliberation:
    return Deliberation.objects.create(
        commune=commune,
        purpose=Deliberation.Purpose.RENEW,
        number=f"{day:%Y}-{commune.insee_code[-2:]}",
        session_date=day,
        members_in_office=commune.council_seats,
        votes_for=commune.council_seats,
        votes_against=0,
        votes_abstention=0,
        unanimous=True,
        subject="Renouvellement de l'adhésion à la mutualisation DSI du Sicoval",
        findings=list(findings),
    )


def _successor(programme, coordinator, edit=lambda text: text):
    """Prepared on 15 March 2027, the coordinator adjusts the rates (and what `edit` changes)
    and opens it."""
    with _on(date(2027, 3, 15)):
        successor = prepare_successor(
            programme=programme,
            slug="sicoval-2027",
            name="Mutualisation DSI du Sicoval 2027-2030",
            start=date(2027, 7, 1),
            end=date(2030, 6, 30),
            free_exit_date=None,
            by=coordinator,
        ).version.programme
        text = successor.spec_version.content.replace(
            'rates = ["0.50", "1.00", "1.20"]', 'rates = ["1.30", "1.40", "1.50"]'
        ).replace("[contributions]\n", '[contributions]\nrates_count_from = "first_programme"\n')
        load_programme(text=edit(text), source="sicoval-2027.toml", by=coordinator)
        open_programme(programme=successor, by=coordinator)
    return Programme.objects.get(pk=successor.pk)  # its current version read afresh


def _open(programme, insee, offer=None) -> Membership:
    memberships = Membership.objects.open().filter(programme=programme, commune__insee_code=insee)
    if offer:
        memberships = memberships.filter(offer_code=offer)
    return memberships.exclude(offer_code="base").first() if offer is None else memberships.get()


def test_the_successor_file_keeps_the_rules_with_its_own_identity(programme, coordinator):
    successor = _successor(programme, coordinator)
    info = successor.spec.programme
    assert (info.slug, info.start, info.end, info.predecessor) == (
        "sicoval-2027",
        date(2027, 7, 1),
        date(2030, 6, 30),
        "sicoval-2024",
    )
    assert successor.predecessor == programme and successor.spec_version.number == 2
    assert [o.code for o in successor.spec.offers] == [o.code for o in programme.spec.offers]
    assert set(successor.staff_assignments.values_list("user__username", flat=True)) >= {
        "coordinator",
        "finance",
    }


def test_sicoval_2027_renewal_from_march_to_the_first_calls_of_july(programme, coordinator, odars):
    auzielle = Commune.objects.get(insee_code=AUZIELLE)
    reviews_before = list(
        Review.objects.filter(programme=programme).order_by("number").values_list("pk", "figures")
    )
    successor = _successor(programme, coordinator)
    odars_base = _open(programme, odars.insee_code, "base")
    auzielle_advanced = _open(programme, AUZIELLE, "advanced-without-it")
    corronsac_advanced = _open(programme, CORRONSAC, "advanced-without-it")
    convention = auzielle_advanced.convention
    amendments_before = convention.amendments.count()

    with _on(date(2027, 5, 20)):
        odars_renewal = renew_membership(
            membership=odars_base,
            successor=successor,
            deliberation=_deliberation(odars, date(2027, 5, 12)),
            by=coordinator,
        )
        auzielle_renewal = renew_membership(
            membership=auzielle_advanced,
            successor=successor,
            deliberation=_deliberation(auzielle, date(2027, 5, 18)),
            by=coordinator,
        )

    # Auzielle's offer stays: an amendment numbered under its convention carries it on.
    amendment = convention.amendments.get(renewal=auzielle_renewal)
    assert amendment.number == f"{convention.number}-A{amendments_before + 1}"
    assert (odars_renewal.status, auzielle_renewal.status) == (Status.JOINED, Status.ACTIVE)
    assert auzielle_renewal.renews == auzielle_advanced
    assert auzielle_renewal.start_date == odars_renewal.start_date == date(2027, 7, 1)

    # INSEE's 2027 vintage is out; on 1 July 2027 the first programme has ended.
    Population.objects.create(
        commune=auzielle, vintage=2027, total=1500, source=Population.Source.EPCI_FILE
    )
    with _on(date(2027, 7, 1)):
        close_memberships(on=date(2027, 7, 1))
        run = issue_calls(programme=successor, on=date(2027, 7, 1), by=None)

    ended = Membership.objects.filter(
        pk__in=[odars_base.pk, auzielle_advanced.pk, corronsac_advanced.pk]
    )
    assert set(ended.values_list("status", flat=True)) == {Status.ENDED}
    assert corronsac_advanced.pk in ended.values_list("pk", flat=True)
    assert set(Membership.objects.open().filter(commune__insee_code__in=[
        odars.insee_code, AUZIELLE, CORRONSAC
    ]).values_list("commune__insee_code", "programme__slug", "offer_code")) == {
        (odars.insee_code, "sicoval-2027", "base"),
        (AUZIELLE, "sicoval-2027", "advanced-without-it"),
    }  # fmt: skip
    # The new phase's calls, at the new rates: Auzielle (first start 1 July 2024) is in its
    # fourth membership year, counted from the first programme: the last rate, 1.50 € × 1500.
    call = Call.objects.get(membership=auzielle_renewal)
    assert [c.pk for c in run.issued] == [call.pk]
    assert call.programme == successor and call.period_start == date(2027, 7, 1)
    assert (call.membership_year, call.rate, call.amount) == (4, Decimal("1.50"), Decimal("2250"))
    assert not Call.objects.filter(membership__commune__insee_code=CORRONSAC, programme=successor)
    assert reviews_before == list(
        Review.objects.filter(programme=programme).order_by("number").values_list("pk", "figures")
    )


def test_a_renewal_needs_a_council_decision_before_the_end_without_legal_errors(
    programme, coordinator
):
    successor = _successor(programme, coordinator)
    auzielle = Commune.objects.get(insee_code=AUZIELLE)
    membership = _open(programme, AUZIELLE, "advanced-without-it")
    late = _deliberation(auzielle, date(2027, 7, 2))
    with pytest.raises(TransitionRefused, match="postérieure à la fin du programme"):
        renew_membership(membership=membership, successor=successor, deliberation=late, by=None)
    wrong = _deliberation(
        auzielle,
        date(2027, 5, 2),
        findings=[{"code": "quorum", "severity": "error", "message": "Quorum non atteint"}],
    )
    with pytest.raises(TransitionRefused, match="Quorum non atteint"):
        renew_membership(membership=membership, successor=successor, deliberation=wrong, by=None)
    with pytest.raises(TransitionRefused, match="délibération"):
        renew_membership(membership=membership, successor=successor, deliberation=None, by=None)
    assert not membership.convention.amendments.filter(renewal__isnull=False).exists()


def test_the_commune_page_shows_its_history_across_programmes(client, programme, coordinator):
    successor = _successor(programme, coordinator)
    auzielle = Commune.objects.get(insee_code=AUZIELLE)
    with _on(date(2027, 5, 20)):
        renew_membership(
            membership=_open(programme, AUZIELLE, "advanced-without-it"),
            successor=successor,
            deliberation=_deliberation(auzielle, date(2027, 5, 18)),
            by=coordinator,
        )
    client.force_login(coordinator)
    page = client.get(f"/communes/{AUZIELLE}/").content.decode()
    section = page[page.index('id="across-programmes"') :]
    assert "Mutualisation DSI du Sicoval 2024-2027" in section
    assert "Mutualisation DSI du Sicoval 2027-2030" in section


def test_the_renewal_page_proposes_each_member_and_records_the_council_decision(
    client, programme, coordinator, finance
):
    successor = _successor(programme, coordinator)
    auzielle = Commune.objects.get(insee_code=AUZIELLE)
    membership = _open(programme, AUZIELLE, "advanced-without-it")
    deliberation = _deliberation(auzielle, date(2026, 11, 30))  # the session's clock is real
    client.force_login(coordinator)
    page = client.get("/adhesions/renouvellements/", {"programme": successor.slug})
    assert "Auzielle" in page.content.decode() and "Corronsac" in page.content.decode()
    client.post(
        f"/adhesions/renouvellements/renouveler/?programme={successor.slug}",
        {"membership": membership.pk, "deliberation": deliberation.pk, "offer": ""},
    )
    renewal = Membership.objects.get(programme=successor, renews=membership)
    assert renewal.status == Status.ACTIVE
    client.force_login(finance)
    assert client.get("/adhesions/renouvellements/").status_code == 403


def _states(page: str) -> dict[str, set[str]]:
    """Commune name -> the states the renewal page shows for its memberships."""
    import re

    states: dict[str, set[str]] = {}
    for name, state in re.findall(
        r'<tr id="renewal-\d+">\s*<td>([^<]+)</td>.*?class="status">([^<]+)<', page, re.S
    ):
        states.setdefault(name, set()).add(state)
    return states


def test_the_renewal_page_records_a_refusal_and_shows_each_communes_state(
    client, programme, coordinator
):
    successor = _successor(programme, coordinator)
    auzielle = Commune.objects.get(insee_code=AUZIELLE)
    corronsac = _open(programme, CORRONSAC, "advanced-without-it")
    url = f"/adhesions/renouvellements/?programme={successor.slug}"
    client.force_login(coordinator)
    client.post(
        f"/adhesions/renouvellements/refuser/?programme={successor.slug}",
        {"membership": corronsac.pk, "reason": "Le conseil reprend la DSI en régie."},
    )
    refusal = RenewalRefusal.objects.get(membership=corronsac, successor=successor)
    assert (refusal.recorded_by, refusal.reason) == (
        coordinator,
        "Le conseil reprend la DSI en régie.",
    )
    renewed = renew_membership(
        membership=_open(programme, AUZIELLE, "advanced-without-it"),
        successor=successor,
        deliberation=_deliberation(auzielle, date(2026, 11, 30)),
        by=coordinator,
    )
    page = client.get(url).content.decode()
    states = _states(page)
    assert "refusée" in states["Corronsac"] and "renouvelée" in states["Auzielle"]
    assert set().union(*states.values()) == {"proposée", "refusée", "renouvelée"}
    assert "Le conseil reprend la DSI en régie." in page
    # A refusal is recorded once; a renewed commune cannot be recorded as refusing.
    with pytest.raises(TransitionRefused, match="déjà enregistré"):
        refuse_renewal(membership=corronsac, successor=successor, reason="encore", by=coordinator)
    with pytest.raises(TransitionRefused, match="déjà renouvelé"):
        refuse_renewal(membership=renewed.renews, successor=successor, reason="non", by=coordinator)
    with pytest.raises(TransitionRefused, match="Indiquez pourquoi"):
        refuse_renewal(
            membership=_open(programme, "31402", "base"),
            successor=successor,
            reason=" ",
            by=coordinator,
        )


def test_a_later_renewal_supersedes_a_refusal_before_the_end_and_never_after(
    programme, coordinator
):
    successor = _successor(programme, coordinator)
    corronsac = Commune.objects.get(insee_code=CORRONSAC)
    membership = _open(programme, CORRONSAC, "advanced-without-it")
    with _on(date(2027, 4, 2)):
        refusal = refuse_renewal(
            membership=membership, successor=successor, reason="Budget 2027", by=coordinator
        )
    deliberation = _deliberation(corronsac, date(2027, 6, 20))
    with _on(date(2027, 7, 2)), pytest.raises(TransitionRefused, match="après la fin du programme"):
        renew_membership(
            membership=membership, successor=successor, deliberation=deliberation, by=coordinator
        )
    assert not Membership.objects.filter(programme=successor, renews=membership).exists()
    with _on(date(2027, 6, 25)):
        renewal = renew_membership(
            membership=membership, successor=successor, deliberation=deliberation, by=coordinator
        )
    refusal.refresh_from_db()
    assert refusal.superseded_by == renewal  # kept, as the trace of the first answer
    assert list(RenewalRefusal.objects.standing().filter(membership=membership)) == []


def test_a_refused_membership_ends_on_the_programmes_end_date(programme, coordinator):
    successor = _successor(programme, coordinator)
    membership = _open(programme, CORRONSAC, "advanced-without-it")
    refuse_renewal(membership=membership, successor=successor, reason="Non", by=coordinator)
    close_memberships(on=date(2027, 6, 30))
    membership.refresh_from_db()
    assert membership.is_open
    close_memberships(on=date(2027, 7, 1))
    membership.refresh_from_db()
    assert membership.status == Status.ENDED


def test_the_successors_capacity_applies_at_renewal(programme, coordinator):
    """The new phase's referent pool holds 20 days: Auzielle's load under the new file's rules
    does not fit once Corronsac has renewed; nothing of Auzielle's renewal is written."""
    successor = _successor(
        programme,
        coordinator,
        edit=lambda text: text.replace("days_per_year = 180", "days_per_year = 20", 1),
    )
    auzielle = Commune.objects.get(insee_code=AUZIELLE)
    corronsac = Commune.objects.get(insee_code=CORRONSAC)
    auzielle_advanced = _open(programme, AUZIELLE, "advanced-without-it")
    amendments = auzielle_advanced.convention.amendments.count()
    with _on(date(2027, 5, 20)):
        first = renew_membership(
            membership=_open(programme, CORRONSAC, "advanced-without-it"),
            successor=successor,
            deliberation=_deliberation(corronsac, date(2027, 5, 10)),
            by=coordinator,
        )
        with pytest.raises(TransitionRefused) as refused:
            renew_membership(
                membership=auzielle_advanced,
                successor=successor,
                deliberation=_deliberation(auzielle, date(2027, 5, 18)),
                by=coordinator,
            )
    message = str(refused.value)
    assert "Auzielle" in message and "« Temps du référent technique »" in message
    assert "Capacité du programme Mutualisation DSI du Sicoval 2027-2030 insuffisante" in message
    assert first.estimated_load_days > 0  # fixed by the new file's pool rules
    assert not Membership.objects.filter(programme=successor, commune=auzielle).exists()
    assert auzielle_advanced.convention.amendments.count() == amendments

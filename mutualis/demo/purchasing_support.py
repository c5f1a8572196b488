"""Demo step for purchasing and support: a catalogue, an open campaign answered by three
communes, roadmaps, suppliers and contracts (one near its notice deadline), support requests in
every state (one out of its target), provider links, reviews and ratings. Idempotent."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from mutualis.accounts.models import User
from mutualis.membership.enums import OPEN, Status
from mutualis.membership.models import Membership, Transition
from mutualis.programme.services import shipped_programme
from mutualis.purchasing import services as purchasing
from mutualis.purchasing.enums import Category, JoinStatus, OfferKind, Priority, Renewal
from mutualis.purchasing.models import (
    Campaign,
    CampaignAnswer,
    Contract,
    JoinRequest,
    NegotiatedOffer,
    RoadmapItem,
    Supplier,
)
from mutualis.purchasing.terms import add_months
from mutualis.support import services as support
from mutualis.support.calendar import add_working_hours
from mutualis.support.models import ProviderLink, ProviderReview, SupportRequest
from mutualis.territory.models import Commune

ODARS, LABEGE, BELBERAUD, AUREVILLE, ESCALQUENS = "31402", "31254", "31036", "31151", "31169"
# Advanced memberships this step relies on (kept if the membership step made them already).
ADVANCED = [
    (LABEGE, "advanced-with-it"),
    (ESCALQUENS, "advanced-with-it"),
    (BELBERAUD, "advanced-without-it"),
    (AUREVILLE, "advanced-without-it"),
]
SUPPLIERS = [
    (
        "Garonne Bureautique",
        "Postes de travail, impression",
        "Sophie Martin",
        "contact@garonne-bureautique.example",
    ),
    (
        "Occitanie Sauvegarde",
        "Sauvegarde externalisée, PRA",
        "Karim Benali",
        "commercial@occitanie-sauvegarde.example",
    ),
    (
        "Centrale d'achat public numérique",
        "Licences, logiciels, matériel",
        "Service clients",
        "collectivites@capn.example",
    ),
    (
        "Pyrène Réseaux",
        "Fibre, téléphonie IP, réseau",
        "Julie Roques",
        "pro@pyrene-reseaux.example",
    ),
    (
        "Lauragais Informatique Services",
        "Infogérance, support de proximité",
        "Marc Esquirol",
        "support@lauragais-info.example",
    ),
    (
        "Tolosa Support",
        "Assistance informatique des petites mairies",
        "Nadia Ferhat",
        "hotline@tolosa-support.example",
    ),
    (
        "Logiciels Mairie Sud",
        "Logiciels métiers (finances, état civil)",
        "Paul Vidal",
        "ventes@logiciels-mairie-sud.example",
    ),
]
OFFERS = [
    (
        "Postes de travail neufs et reconditionnés",
        OfferKind.FRAMEWORK,
        "Garonne Bureautique",
        "Postes fixes et portables professionnels, installés et configurés, garantie sur site.",
        "689.00",
        "par poste fixe",
        True,
        True,
    ),
    (
        "Sauvegarde externalisée 3-2-1",
        OfferKind.GROUP,
        "Occitanie Sauvegarde",
        "Sauvegarde chiffrée quotidienne hors site, restauration testée deux fois par an.",
        "19.90",
        "par mois et par 500 Go",
        True,
        False,
    ),
    (
        "Licences bureautiques collectivités",
        OfferKind.CENTRAL,
        "Centrale d'achat public numérique",
        "Suite bureautique et messagerie en ligne aux conditions de la centrale d'achat.",
        "4.50",
        "par utilisateur et par mois",
        True,
        False,
    ),
    (
        "Téléphonie IP et accès fibre",
        OfferKind.FRAMEWORK,
        "Pyrène Réseaux",
        "Lien fibre professionnel, standard téléphonique hébergé, postes IP.",
        "35.00",
        "par ligne et par mois",
        True,
        True,
    ),
    (
        "Pare-feu managé pour petites mairies",
        OfferKind.GROUP,
        "Lauragais Informatique Services",
        "Pare-feu installé, mis à jour et surveillé, rapport mensuel.",
        "45.00",
        "par mois",
        True,
        True,
    ),
]
CAMPAIGN = "Postes de travail 2026"
CAMPAIGN_ITEMS = [
    {
        "label": "Poste fixe bureautique",
        "unit": "poste",
        "constraints": "Windows 11 Pro, 16 Go, SSD 512 Go",
    },
    {
        "label": "Ordinateur portable",
        "unit": "poste",
        "constraints": "14 pouces, station d'accueil",
    },
    {"label": "Écran 24 pouces", "unit": "écran", "constraints": "réglable en hauteur"},
    {
        "label": "Imprimante multifonction",
        "unit": "appareil",
        "constraints": "A3 couleur, impression par badge",
    },
]
ANSWERS = {ODARS: [2, 1, 3, 0], LABEGE: [12, 6, 18, 2], BELBERAUD: [3, 1, 4, 1]}
ROADMAPS = {
    LABEGE: [
        (
            2025,
            "Renouvellement du serveur de fichiers",
            Category.SERVERS,
            "18000",
            Priority.HIGH,
            "M-BAK-02",
        ),
        (2026, "Douze postes de travail", Category.WORKSTATIONS, "8300", Priority.MEDIUM, ""),
        (2026, "Sauvegarde externalisée", Category.BACKUP, "2400", Priority.HIGH, "M-BAK-01"),
    ],
    ESCALQUENS: [
        (
            2026,
            "Commutateurs réseau administrables",
            Category.NETWORK,
            "6000",
            Priority.MEDIUM,
            "M-NET-01",
        ),
    ],
    BELBERAUD: [
        (
            2025,
            "NAS et externalisation des sauvegardes",
            Category.BACKUP,
            "1800",
            Priority.HIGH,
            "M-BAK-01",
        ),
        (2026, "Pare-feu managé", Category.SECURITY, "540", Priority.HIGH, "M-NET-01"),
        (2027, "Trois postes de travail", Category.WORKSTATIONS, "2100", Priority.LOW, ""),
    ],
    AUREVILLE: [
        (2026, "Logiciel d'état civil", Category.SOFTWARE, "3200", Priority.MEDIUM, ""),
    ],
}
PROVIDERS = {
    LABEGE: "Lauragais Informatique Services",
    ESCALQUENS: "Lauragais Informatique Services",
    BELBERAUD: "Tolosa Support",
    AUREVILLE: "Tolosa Support",
}
# A minimal valid PDF: the demo's price list document.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def purchasing_and_support(log) -> None:
    programme = shipped_programme()
    coordinator = User.objects.get(username="coordinator")
    referent = User.objects.get(username="referent")
    communes = Commune.objects.in_bulk(
        [ODARS, LABEGE, BELBERAUD, AUREVILLE, ESCALQUENS], field_name="insee_code"
    )
    _advanced(programme, communes, coordinator)
    suppliers = _suppliers()
    offers = _offers(suppliers, coordinator)
    _join_requests(offers, communes)
    _campaign(communes, coordinator)
    _roadmaps(communes, referent)
    _contracts(suppliers, communes, referent)
    _providers(suppliers, communes, referent)
    _requests(communes, referent)
    log(
        f"achats et support : {len(suppliers)} fournisseurs, {len(offers)} offres, "
        f"{SupportRequest.objects.count()} demandes"
    )


def _advanced(programme, communes, by) -> None:
    for insee, offer in ADVANCED:
        commune = communes[insee]
        if Membership.objects.filter(
            programme=programme, commune=commune, offer_code=offer, status__in=OPEN
        ).exists():
            continue
        membership = Membership.objects.create(
            programme=programme,
            commune=commune,
            offer_code=offer,
            status=Status.ACTIVE,
            applied_on=date(2024, 5, 15),
            start_date=date(2024, 7, 1),
        )
        Transition.objects.create(
            membership=membership,
            from_status="",
            to_status=Status.ACTIVE,
            by=by,
            reason="Convention signée (démonstration)",
        )


def _suppliers() -> dict[str, Supplier]:
    out = {}
    for name, services_, contact, email in SUPPLIERS:
        out[name], _ = Supplier.objects.get_or_create(
            name=name, defaults={"services": services_, "contact_name": contact, "email": email}
        )
    return out


def _offers(suppliers, by) -> dict[str, NegotiatedOffer]:
    out = {}
    for title, kind, supplier, description, price, unit, support_, maintenance in OFFERS:
        offer = NegotiatedOffer.objects.filter(title=title).first()
        if offer is None:
            offer = purchasing.save_offer(
                offer=NegotiatedOffer(
                    title=title,
                    kind=kind,
                    supplier=suppliers[supplier],
                    description=description,
                    price=Decimal(price),
                    price_unit=unit,
                    conditions="Commande par bon de commande de la commune, sans minimum.",
                    support_included=support_,
                    maintenance_included=maintenance,
                    support_details="Assistance téléphonique du lundi au vendredi, 9 h – 17 h.",
                    valid_from=date(2024, 7, 1),
                    valid_until=date(2027, 6, 30),
                ),
                by=by,
            )
        out[title] = offer
    first = out[OFFERS[0][0]]
    if not first.documents.exists():
        upload = ContentFile(PDF, name="bordereau-des-prix.pdf")
        purchasing.add_offer_document(offer=first, upload=upload, title="Bordereau des prix", by=by)
    return out


def _join_requests(offers, communes) -> None:
    odars_manager = User.objects.get(username="odars-manager")
    labege_manager = User.objects.get(username="labege-manager")
    backup = offers["Sauvegarde externalisée 3-2-1"]
    if not JoinRequest.objects.filter(offer=backup, commune=communes[ODARS]).exists():
        purchasing.request_to_join(
            offer=backup,
            commune=communes[ODARS],
            by=odars_manager,
            need="Sauvegarde des postes de la mairie (environ 300 Go).",
        )
    workstations = offers["Postes de travail neufs et reconditionnés"]
    if not JoinRequest.objects.filter(offer=workstations, commune=communes[LABEGE]).exists():
        join = purchasing.request_to_join(
            offer=workstations, commune=communes[LABEGE], by=labege_manager, need="12 postes fixes."
        )
        purchasing.move_join_request(
            join_request=join,
            to=JoinStatus.ACCEPTED,
            by=User.objects.get(username="coordinator"),
            note="Bon de commande à adresser au fournisseur.",
        )


def _campaign(communes, by) -> None:
    campaign = Campaign.objects.filter(title=CAMPAIGN).first()
    if campaign is None:
        campaign = purchasing.open_campaign(
            programme=shipped_programme(),
            title=CAMPAIGN,
            description="Recensement des postes à renouveler en 2026, pour un achat groupé.",
            deadline=timezone.localdate() + timedelta(days=21),
            items=CAMPAIGN_ITEMS,
            by=by,
        )
    items = list(campaign.items.all())
    managers = {
        ODARS: User.objects.get(username="odars-manager"),
        LABEGE: User.objects.get(username="labege-manager"),
    }
    for insee, quantities in ANSWERS.items():
        if CampaignAnswer.objects.filter(campaign=campaign, commune=communes[insee]).exists():
            continue
        purchasing.answer_campaign(
            campaign=campaign,
            commune=communes[insee],
            lines=[purchasing.LineInput(i.pk, q) for i, q in zip(items, quantities, strict=True)],
            comment="",
            by=managers.get(insee),
        )


def _roadmaps(communes, by) -> None:
    for insee, rows in ROADMAPS.items():
        commune = communes[insee]
        for year, label, category, cost, priority, measure in rows:
            if RoadmapItem.objects.filter(commune=commune, label=label).exists():
                continue
            purchasing.save_roadmap_item(
                item=RoadmapItem(
                    commune=commune,
                    year=year,
                    label=label,
                    category=category,
                    estimated_cost=Decimal(cost),
                    priority=priority,
                    measure_id=measure,
                ),
                by=by,
            )


def _contracts(suppliers, communes, by) -> None:
    today = timezone.localdate()
    # Notice deadlines 20 and 25 days away: both in the alerts; the others are not.
    rows = [
        (
            ODARS,
            "Maintenance du copieur",
            "Garonne Bureautique",
            add_months(today + timedelta(days=20), 3),
            3,
            "1450.00",
            Renewal.TACIT,
            12,
        ),
        (
            ODARS,
            "Hébergement du site internet",
            "Pyrène Réseaux",
            add_months(today, 14),
            2,
            "480.00",
            Renewal.NONE,
            None,
        ),
        (
            LABEGE,
            "Infogérance du parc informatique",
            "Lauragais Informatique Services",
            add_months(today + timedelta(days=25), 3),
            3,
            "21600.00",
            Renewal.TACIT,
            12,
        ),
        (
            BELBERAUD,
            "Logiciel de gestion financière",
            "Logiciels Mairie Sud",
            add_months(today, 20),
            6,
            "2350.00",
            Renewal.EXPRESS,
            None,
        ),
        (
            AUREVILLE,
            "Assistance informatique",
            "Tolosa Support",
            add_months(today, 9),
            3,
            "3900.00",
            Renewal.TACIT,
            12,
        ),
    ]
    for insee, subject, supplier, end, notice, amount, renewal, renewal_months in rows:
        commune = communes[insee]
        if Contract.objects.filter(commune=commune, subject=subject).exists():
            continue
        purchasing.save_contract(
            contract=Contract(
                commune=commune,
                supplier=suppliers[supplier],
                subject=subject,
                start_date=add_months(end, -36),
                end_date=end,
                notice_months=notice,
                amount=Decimal(amount),
                renewal=renewal,
                renewal_months=renewal_months,
            ),
            by=by,
        )


def _providers(suppliers, communes, by) -> None:
    for insee, name in PROVIDERS.items():
        if not ProviderLink.objects.current().filter(commune=communes[insee]).exists():
            support.link_provider(
                commune=communes[insee], supplier=suppliers[name], since=date(2024, 9, 1), by=by
            )
    for name, notes in [
        (
            "Lauragais Informatique Services",
            "Délais tenus sur les incidents critiques ; relances nécessaires sur la messagerie.",
        ),
        ("Tolosa Support", "Bonne réactivité ; demander un rapport mensuel des interventions."),
    ]:
        supplier = suppliers[name]
        if not ProviderReview.objects.filter(supplier=supplier).exists():
            support.add_provider_review(
                supplier=supplier,
                period_start=date(2025, 1, 1),
                period_end=date(2025, 6, 30),
                notes=notes,
                by=by,
            )


def _at(days_ago: int, hour: int = 9, minute: int = 15) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    while day.isoweekday() > 5:  # opened on a weekday, as most requests are
        day -= timedelta(days=1)
    return min(timezone.make_aware(datetime.combine(day, time(hour, minute))), timezone.now())


def _after(start: datetime, hours: str) -> datetime:
    local = timezone.localtime(start).replace(tzinfo=None)
    return timezone.make_aware(
        add_working_hours(local, Decimal(hours), support.working_calendar(shipped_programme()))
    )


def _requests(communes, referent) -> None:
    labege_it = User.objects.get(username="labege-it")
    odars_manager = User.objects.get(username="odars-manager")
    plans = [
        # commune, opener, category, urgency, subject, opened, steps
        (
            LABEGE,
            labege_it,
            "incident",
            "critical",
            "Serveur de fichiers inaccessible",
            _at(12),
            [
                ("answer", "0.5", "Nous regardons tout de suite."),
                ("escalate", "1"),
                ("close", "5", "Disque remplacé par le prestataire."),
                ("rate", 4),
            ],
        ),
        (
            LABEGE,
            labege_it,
            "security",
            "high",
            "Messagerie : pièces jointes bloquées",
            _at(2, 10, 0),
            [
                ("answer", "1", "Pouvez-vous nous transférer un message concerné ?"),
                ("escalate", "2"),
            ],
        ),
        (
            LABEGE,
            labege_it,
            "service",
            "normal",
            "Réinitialiser le mot de passe du logiciel de paie",
            _at(6, 14, 0),
            [],
        ),
        (
            BELBERAUD,
            referent,
            "incident",
            "high",
            "Sauvegarde en échec depuis lundi",
            _at(20),
            [
                ("answer", "1", "Le prestataire est prévenu."),
                ("escalate", "1.5"),
                ("close", "12", "Cartouche remplacée, sauvegarde relancée et vérifiée."),
                ("rate", 3),
            ],
        ),
        (
            BELBERAUD,
            referent,
            "service",
            "low",
            "Installation d'un nouveau poste à l'accueil",
            _at(1, 11, 0),
            [("answer", "2", "Intervention prévue la semaine prochaine.")],
        ),
        (
            AUREVILLE,
            referent,
            "incident",
            "normal",
            "Imprimante du secrétariat hors service",
            _at(15),
            [
                ("answer", "2", "Transmis à votre prestataire."),
                ("escalate", "2.5"),
                ("close", "9", "Four de l'imprimante remplacé."),
                ("rate", 5),
            ],
        ),
        (
            ODARS,
            odars_manager,
            "purchasing",
            "normal",
            "Adhérer à l'offre de sauvegarde : quelles démarches ?",
            _at(9),
            [
                (
                    "answer",
                    "3",
                    "Il suffit d'envoyer la demande depuis le catalogue ; nous la transmettons.",
                ),
                ("close", "3.5", "Réponse apportée."),
                ("rate", 5),
            ],
        ),
        (
            ODARS,
            odars_manager,
            "platform",
            "low",
            "Donner accès à la plateforme à une nouvelle secrétaire",
            _at(0, 8, 45),
            [],
        ),
    ]
    for insee, opener, category, urgency, subject, opened, steps in plans:
        commune = communes[insee]
        if SupportRequest.objects.filter(commune=commune, subject=subject).exists():
            continue
        files = []
        if insee == ODARS and steps:
            files = [ContentFile(PDF, name="question-sauvegarde.pdf")]
        request = support.open_request(
            commune=commune,
            by=opener,
            category=category,
            urgency=urgency,
            subject=subject,
            description=subject + ".",
            files=files,
            opened_at=opened,
        )
        for step in steps:
            kind = step[0]
            if kind == "answer":
                support.add_message(
                    request=request, by=referent, body=step[2], at=_after(opened, step[1])
                )
            elif kind == "escalate":
                support.escalate_request(
                    request=request,
                    by=referent,
                    note="Merci d'intervenir.",
                    at=_after(opened, step[1]),
                )
            elif kind == "close":
                support.close_request(
                    request=request, by=referent, resolution=step[2], at=_after(opened, step[1])
                )
            elif kind == "rate":
                support.rate_request(request=request, by=opener, score=step[1])

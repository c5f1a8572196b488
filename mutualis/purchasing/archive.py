"""The purchasing part of a commune's archive: requests, campaign answers, roadmap, contracts."""

from mutualis.core.archive import ArchiveFile, records_csv
from mutualis.purchasing.models import (
    AnswerLine,
    CampaignAnswer,
    Contract,
    ContractAlert,
    JoinRequest,
    JoinRequestStep,
    RoadmapItem,
)


def commune_archive(commune) -> list[ArchiveFile]:
    return [
        records_csv(
            "achats/demandes-d-adhesion.csv",
            JoinRequest.objects.filter(commune=commune),
            "Demandes de la commune pour rejoindre une offre négociée",
        ),
        records_csv(
            "achats/demandes-etapes.csv",
            JoinRequestStep.objects.filter(join_request__commune=commune),
            "Chaque étape de ces demandes (qui, quand, pourquoi)",
        ),
        records_csv(
            "achats/reponses-aux-campagnes.csv",
            CampaignAnswer.objects.filter(commune=commune),
            "Réponses de la commune aux recensements de besoins",
        ),
        records_csv(
            "achats/reponses-lignes.csv",
            AnswerLine.objects.filter(answer__commune=commune),
            "Quantités déclarées, ligne par ligne",
        ),
        records_csv(
            "achats/feuille-de-route.csv",
            RoadmapItem.objects.filter(commune=commune),
            "Feuille de route numérique de la commune",
        ),
        records_csv(
            "achats/contrats.csv",
            Contract.objects.filter(commune=commune),
            "Contrats de la commune avec ses fournisseurs",
        ),
        records_csv(
            "achats/alertes-de-preavis.csv",
            ContractAlert.objects.filter(contract__commune=commune),
            "Alertes de préavis envoyées pour ces contrats",
        ),
    ]

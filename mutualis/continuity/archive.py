"""The continuity part of a commune's archive: contacts, activities, plans, exercises, logs,
backup study and security tools."""

from mutualis.continuity.models import (
    BackupCopy,
    BackupStudy,
    ContinuityPlan,
    CrisisContact,
    CrisisExercise,
    CrisisLog,
    EssentialActivity,
    ExerciseAction,
    LogEntry,
    SecurityTool,
)
from mutualis.core.archive import ArchiveFile, records_csv


def commune_archive(commune) -> list[ArchiveFile]:
    own = {"commune": commune}
    return [
        records_csv(
            "continuite/contacts-de-crise.csv",
            CrisisContact.objects.filter(**own),
            "Contacts à appeler en cas de crise",
        ),
        records_csv(
            "continuite/activites-essentielles.csv",
            EssentialActivity.objects.filter(**own),
            "Activités essentielles et interruptions tolérées",
        ),
        records_csv(
            "continuite/plans.csv",
            ContinuityPlan.objects.filter(**own),
            "Chaque version du plan de continuité",
        ),
        records_csv(
            "continuite/exercices.csv",
            CrisisExercise.objects.filter(**own),
            "Exercices de crise",
        ),
        records_csv(
            "continuite/exercices-actions.csv",
            ExerciseAction.objects.filter(exercise__commune=commune),
            "Actions décidées après les exercices",
        ),
        records_csv(
            "continuite/mains-courantes.csv",
            CrisisLog.objects.filter(**own),
            "Mains courantes de crise",
        ),
        records_csv(
            "continuite/mains-courantes-entrees.csv",
            LogEntry.objects.filter(log__commune=commune),
            "Chaque entrée des mains courantes",
        ),
        records_csv(
            "continuite/etude-sauvegarde.csv",
            BackupStudy.objects.filter(**own),
            "Étude de sauvegarde (volumes)",
        ),
        records_csv(
            "continuite/copies-de-sauvegarde.csv",
            BackupCopy.objects.filter(study__commune=commune),
            "Copies de sauvegarde déclarées",
        ),
        records_csv(
            "continuite/outils-de-securite.csv",
            SecurityTool.objects.filter(**own),
            "Outils de sécurité déployés",
        ),
    ]

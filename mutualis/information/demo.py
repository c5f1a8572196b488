"""The information platform's part of the demo: news, a critical alert acknowledged by some
communes, draft watch items from a shipped feed, a document library, a thread between Labège and
the intercommunality. Idempotent: each piece is added only when missing."""

from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mutualis.accounts.models import User
from mutualis.information import services
from mutualis.information.enums import AudienceKind, Category, DocumentKind, Severity
from mutualis.information.models import Document, Feed, Folder, Post, Thread
from mutualis.programme.services import shipped_programme
from mutualis.territory.models import Commune

FEEDS_DIR = Path(__file__).resolve().parent / "tests" / "feeds"
ODARS, LABEGE = "31402", "31254"
ALERT_TITLE = (
    "Vulnérabilité critique activement exploitée dans les VPN Tunnelia : corriger sans délai"
)
ODARS_POST_TITLE = "Odars : intervention sur le réseau de la mairie le 12 mars"

NEWS = [
    (
        30,
        "La plateforme d'information de Mutualis est ouverte",
        "Les actualités, les **alertes de sécurité** et la veille technique et juridique du "
        "programme de mutualisation arrivent désormais ici, et non plus par courriels épars.\n\n"
        "- les alertes critiques demandent un *accusé de lecture* de chaque commune ;\n"
        "- une lettre hebdomadaire résume le reste ;\n"
        "- la bibliothèque de documents rassemble guides, modèles et comptes rendus.",
        Category.NEWS,
        {},
    ),
    (
        12,
        "Élections municipales de mars 2026 : préparer la passation des comptes",
        "Après les élections, les comptes des élus et secrétaires sortants sont **désactivés** et "
        "les nouveaux invités par le responsable communal. Aucun compte ne se partage.",
        Category.NEWS,
        {},
    ),
    (
        8,
        "RGPD : tenir le registre des traitements dans les petites communes",
        "Le registre des activités de traitement est obligatoire, quelle que soit la taille de la "
        "commune. Un modèle simplifié est disponible dans la bibliothèque de documents.",
        Category.LEGAL_WATCH,
        {"to_agents": False, "to_it_agents": False},
    ),
    (
        5,
        "Fin de support de Windows 10 : plan de migration des postes de mairie",
        "Le référent technique accompagne les communes de l'offre avancée sans DSI dans le "
        "remplacement ou la mise à niveau des postes concernés.",
        Category.TECH_WATCH,
        {"audience": AudienceKind.OFFER, "audience_offer": "advanced-without-it"},
    ),
]


def load(log) -> None:
    coordinator = User.objects.get(username="coordinator")
    communes = Commune.objects.in_bulk([ODARS, LABEGE], field_name="insee_code")
    added = _news(coordinator) + _alert(coordinator, communes) + _odars_post(coordinator, communes)
    log(f"publications ajoutées : {added}")
    log(f"brouillons de veille importés : {_feeds(coordinator)}")
    log(f"documents ajoutés : {_library(coordinator, communes)}")
    log(f"échanges ajoutés : {_thread(coordinator, communes)}")


def _publish(post: Post, by: User, *, days_ago: int, communes=()) -> Post:
    post.publish_at = timezone.now() - timedelta(days=days_ago)
    post.alert_emailed_at = post.publish_at  # the demo sends no mail
    post.programme = shipped_programme()
    services.save_post(post=post, by=by, communes=communes)
    services.publish_post(post=post, by=by)
    return post


def _news(by: User) -> int:
    added = 0
    for days_ago, title, body, category, audience in NEWS:
        if Post.objects.filter(title=title).exists():
            continue
        _publish(Post(title=title, body=body, category=category, **audience), by, days_ago=days_ago)
        added += 1
    return added


def _alert(by: User, communes) -> int:
    if Post.objects.filter(title=ALERT_TITLE).exists():
        return 0
    alert = _publish(
        Post(
            title=ALERT_TITLE,
            category=Category.ALERT,
            severity=Severity.CRITICAL,
            body="Une vulnérabilité **critique** des passerelles VPN Tunnelia est activement "
            "exploitée.\n\n1. Appliquer le correctif 7.2.1 de l'éditeur.\n"
            "2. Changer les mots de passe des comptes VPN.\n"
            "3. Signaler au référent toute connexion inhabituelle.\n\n"
            "Chaque commune confirme la lecture de cette alerte.",
        ),
        by,
        days_ago=2,
    )
    services.acknowledge(
        post=alert, commune=communes[ODARS], by=User.objects.get(username="odars-manager")
    )
    services.acknowledge(
        post=alert, commune=communes[LABEGE], by=User.objects.get(username="labege-it")
    )
    return 1


def _odars_post(by: User, communes) -> int:
    """A post for Odars alone, with an attachment: the URL walker's Odars-owned sample."""
    if Post.objects.filter(title=ODARS_POST_TITLE).exists():
        return 0
    post = Post(
        title=ODARS_POST_TITLE,
        category=Category.NEWS,
        audience=AudienceKind.COMMUNES,
        body="Le référent interviendra à la mairie d'Odars pour remplacer le routeur. "
        "Internet sera coupé de 9 h à 11 h.",
        publish_at=timezone.now() - timedelta(days=1),
        programme=shipped_programme(),
    )
    upload = SimpleUploadedFile(
        "odars-intervention.txt",
        "Intervention à Odars : remplacement du routeur, coupure de 9 h à 11 h.\n".encode(),
    )
    services.save_post(post=post, by=by, communes=[communes[ODARS]], uploads=[upload])
    services.publish_post(post=post, by=by)
    return 1


FEEDS = [
    (
        "CERT-FR — avis de sécurité",
        "https://www.cert.ssi.gouv.fr/avis/feed/",
        Category.TECH_WATCH,
        "certfr-avis.xml",
    ),
    (
        "CERT-FR — alertes",
        "https://www.cert.ssi.gouv.fr/alerte/feed/",
        Category.ALERT,
        "certfr-alertes.atom",
    ),
    (
        "CNIL — actualités",
        "https://www.cnil.fr/fr/rss.xml",
        Category.LEGAL_WATCH,
        "cnil-actualites.xml",
    ),
]


def _feeds(by: User) -> int:
    added = 0
    for name, url, category, sample in FEEDS:
        feed = Feed.objects.filter(name=name).first()
        if feed is None:
            feed = services.save_feed(feed=Feed(name=name, url=url, category=category), by=by)
            # The demo reads the shipped sample instead of the network.
            added += services.import_feed(
                feed=feed, data=(FEEDS_DIR / sample).read_bytes(), by=by
            ).added
    return added


LIBRARY = [
    (
        "Guides",
        "Guides pratiques pour les mairies.",
        [
            (
                "Guide des sauvegardes pour les mairies",
                DocumentKind.GUIDE,
                "guide-sauvegardes.md",
                "# Sauvegardes\n\nRègle 3-2-1 : trois copies, deux supports, une copie hors de la mairie.\n",
                {},
            ),
            (
                "Mots de passe : les bonnes pratiques",
                DocumentKind.GUIDE,
                "mots-de-passe.md",
                "# Mots de passe\n\nUn gestionnaire de mots de passe et la double authentification.\n",
                {},
            ),
        ],
    ),
    (
        "Modèles",
        "Modèles à adapter.",
        [
            (
                "Modèle de charte informatique communale",
                DocumentKind.TEMPLATE,
                "charte-informatique.txt",
                "Charte d'usage des outils numériques de la commune de ……\n",
                {},
            ),
            (
                "Modèle de registre des traitements",
                DocumentKind.TEMPLATE,
                "registre-traitements.csv",
                "traitement,finalite,base_legale,duree_conservation\nétat civil,actes,obligation légale,illimitée\n",
                {},
            ),
        ],
    ),
    (
        "Études",
        "Études menées dans le cadre du programme.",
        [
            (
                "Étude : messagerie mutualisée pour les communes à DSI",
                DocumentKind.STUDY,
                "etude-messagerie.md",
                "# Messagerie mutualisée\n\nComparaison de trois hébergements pour les communes dotées d'une DSI.\n",
                {"audience": AudienceKind.OFFER, "audience_offer": "advanced-with-it"},
            ),
        ],
    ),
    (
        "Comptes rendus",
        "Comités de pilotage du programme.",
        [
            (
                "Compte rendu du comité de pilotage de décembre 2024",
                DocumentKind.MINUTES,
                "copil-2024-12.md",
                "# Comité de pilotage\n\nBilan des adhésions au socle de base et calendrier des diagnostics.\n",
                {"to_agents": False, "to_it_agents": False},
            ),
        ],
    ),
]


def _library(by: User, communes) -> int:
    added = 0
    for folder_name, description, documents in LIBRARY:
        folder, _created = Folder.objects.get_or_create(
            name=folder_name, parent=None, defaults={"description": description}
        )
        for title, kind, filename, content, audience in documents:
            if Document.objects.filter(title=title).exists():
                continue
            services.save_document(
                document=Document(
                    title=title,
                    kind=kind,
                    folder=folder,
                    programme=shipped_programme(),
                    **audience,
                ),
                by=by,
                upload=SimpleUploadedFile(filename, content.encode()),
                note="Première version",
            )
            added += 1
    guide = Document.objects.get(title="Guide des sauvegardes pour les mairies")
    if guide.versions.count() == 1:
        services.add_version(
            document=guide,
            upload=SimpleUploadedFile(
                "guide-sauvegardes.md",
                "# Sauvegardes\n\nRègle 3-2-1, et un test de restauration chaque trimestre.\n".encode(),
            ),
            by=by,
            note="Ajout du test de restauration trimestriel",
        )
    title = "Odars — inventaire du parc informatique"
    if not Document.objects.filter(title=title).exists():
        manager = User.objects.get(username="odars-manager")
        document = services.save_document(
            document=Document(title=title, kind=DocumentKind.OTHER, owner_commune=communes[ODARS]),
            by=manager,
            upload=SimpleUploadedFile(
                "inventaire-odars.csv", b"poste,systeme\naccueil,Windows 10\n"
            ),
            note="Inventaire initial",
        )
        services.add_version(
            document=document,
            upload=SimpleUploadedFile(
                "inventaire-odars.csv",
                b"poste,systeme\naccueil,Windows 11\nsecretariat,Windows 11\n",
            ),
            by=manager,
            note="Postes migrés",
        )
        added += 1
    return added


THREAD_TITLE = "Sauvegardes externalisées : retours sur les solutions testées"


def _thread(by: User, communes) -> int:
    if Thread.objects.filter(title=THREAD_TITLE).exists():
        return 0
    labege_it = User.objects.get(username="labege-it")
    thread = services.start_thread(
        title=THREAD_TITLE,
        body="À Labège, nous avons testé deux offres de sauvegarde externalisée pour les "
        "serveurs de la mairie. Quelles solutions les autres communes à DSI utilisent-elles ?",
        by=labege_it,
        commune=communes[LABEGE],
        programme=shipped_programme(),
    )
    services.reply(
        thread=thread,
        body="Merci ! L'intercommunalité prépare une étude sur une offre mutualisée : pouvez-vous "
        "partager vos mesures de temps de restauration ?",
        by=by,
        commune=None,
    )
    services.reply(
        thread=thread,
        body="Voici notre tableau comparatif (temps de restauration, coût annuel).",
        by=labege_it,
        commune=communes[LABEGE],
        uploads=[
            SimpleUploadedFile(
                "comparatif-sauvegardes.csv",
                b"solution,restauration_heures,cout_annuel\nA,4,1800\nB,9,950\n",
            )
        ],
    )
    return 1

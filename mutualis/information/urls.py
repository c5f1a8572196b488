"""Pages of the information app: posts, alerts, watch, documents, experience sharing, search."""

from django.urls import path

from mutualis.information.views import documents, mail, posts, search, threads, watch

app_name = "information"
urlpatterns = [
    path("", posts.posts, name="posts"),
    path("publications/nouvelle/", posts.post_create, name="post_create"),
    path("publications/<int:post_id>/", posts.post, name="post"),
    path("publications/<int:post_id>/modifier/", posts.post_edit, name="post_edit"),
    path("publications/<int:post_id>/publier/", posts.post_publish, name="post_publish"),
    path("publications/<int:post_id>/retirer/", posts.post_withdraw, name="post_withdraw"),
    path("publications/<int:post_id>/lecture/", posts.acknowledge, name="acknowledge"),
    path("publications/<int:post_id>/lectures/", posts.acknowledgements, name="acknowledgements"),
    path("publications/<int:post_id>/rappel/", posts.remind, name="remind"),
    path("pieces-jointes/<int:post_attachment_id>/", posts.post_attachment, name="post_attachment"),
    path("redaction/", posts.drafts, name="drafts"),
    path("veille/", watch.feeds, name="feeds"),
    path("veille/<int:feed_id>/relever/", watch.feed_refresh, name="feed_refresh"),
    path("veille/importer/", watch.feed_upload, name="feed_upload"),
    path("documents/", documents.library, name="library"),
    path("documents/nouveau/", documents.document_create, name="document_create"),
    path(
        "documents/ma-commune/", documents.commune_document_create, name="commune_document_create"
    ),
    path("documents/dossiers/nouveau/", documents.folder_create, name="folder_create"),
    path("documents/dossiers/<int:folder_id>/", documents.folder, name="folder"),
    path("documents/<int:document_id>/", documents.document, name="document"),
    path("documents/<int:document_id>/modifier/", documents.document_edit, name="document_edit"),
    path(
        "documents/<int:document_id>/version/", documents.document_version, name="document_version"
    ),
    path(
        "documents/versions/<int:version_id>/", documents.version_download, name="version_download"
    ),
    path("echanges/", threads.threads, name="threads"),
    path("echanges/nouveau/", threads.thread_create, name="thread_create"),
    path("echanges/<int:thread_id>/", threads.thread, name="thread"),
    path("echanges/<int:thread_id>/etude/", threads.thread_study, name="thread_study"),
    path(
        "echanges/fichiers/<int:message_attachment_id>/",
        threads.message_attachment,
        name="message_attachment",
    ),
    path("recherche/", search.search, name="search"),
    path("courriels/", mail.mail_preferences, name="mail_preferences"),
    path("desabonnement/<str:token>/", mail.unsubscribe, name="unsubscribe"),
]

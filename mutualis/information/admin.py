"""Back-office views of the information platform: posts and acknowledgements are never deleted."""

from django.contrib import admin

from mutualis.core.admin import NoDeleteAdmin, ReadOnlyAdmin
from mutualis.information.models import (
    Acknowledgement,
    DigestSent,
    Document,
    DocumentVersion,
    Feed,
    Folder,
    Post,
    Thread,
)


@admin.register(Post)
class PostAdmin(NoDeleteAdmin):
    list_display = ["title", "category", "severity", "status", "publish_at", "audience"]
    list_filter = ["category", "status", "audience"]
    search_fields = ["title"]
    readonly_fields = ["source_key", "alert_emailed_at", "published_by", "published_at"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["post", "commune", "by", "at"]
    list_select_related = ["post", "commune", "by"]


@admin.register(Feed)
class FeedAdmin(NoDeleteAdmin):
    list_display = ["name", "url", "category", "is_active", "last_fetched_at"]


@admin.register(Folder)
class FolderAdmin(NoDeleteAdmin):
    list_display = ["name", "parent"]


@admin.register(Document)
class DocumentAdmin(NoDeleteAdmin):
    list_display = ["title", "kind", "folder", "owner_commune", "audience"]
    list_filter = ["kind", "audience"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["document", "number", "original_name", "uploaded_by", "uploaded_at"]


@admin.register(Thread)
class ThreadAdmin(NoDeleteAdmin):
    list_display = ["title", "created_by", "last_activity_at"]


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ["user", "week", "sent_at", "post_count"]

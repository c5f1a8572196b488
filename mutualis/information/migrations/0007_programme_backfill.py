"""Existing threads belong to the programme of their authors' communes, else to the instance's
preferred programme. Existing posts and library documents were written by the team of the
programme the instance ran: they belong to the programme of the communes they address (the
preferred one when addressed to every member); watch items imported from feeds and the communes'
own documents stay for the whole instance."""

from django.db import migrations
from django.utils import timezone

from mutualis.programme.backfill import programme_picker


def forwards(apps, schema_editor):
    pick = programme_picker(apps.get_model("programme", "Programme"), timezone.localdate())
    Thread = apps.get_model("information", "Thread")
    Message = apps.get_model("information", "Message")
    for thread in Thread.objects.filter(programme__isnull=True):
        epcis = Message.objects.filter(thread=thread, author_commune__isnull=False).values_list(
            "author_commune__epci_id", flat=True
        )
        thread.programme_id = pick(epcis)
        thread.save(update_fields=["programme"])
    Post = apps.get_model("information", "Post")
    for post in Post.objects.filter(programme__isnull=True, feed__isnull=True):
        post.programme_id = pick(post.audience_communes.values_list("epci_id", flat=True))
        post.save(update_fields=["programme"])
    Document = apps.get_model("information", "Document")
    for document in Document.objects.filter(programme__isnull=True, owner_commune__isnull=True):
        document.programme_id = pick(document.audience_communes.values_list("epci_id", flat=True))
        document.save(update_fields=["programme"])


class Migration(migrations.Migration):
    dependencies = [
        ("information", "0006_document_programme_post_programme_thread_programme"),
        ("programme", "0002_programme_life_and_assignments"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Uploaded files: the type is sniffed from the content, size limited, served after a check."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mutualis.core.uploads import KINDS, validate_upload
from mutualis.information.enums import UPLOAD_KINDS
from mutualis.information.models import PostAttachment
from mutualis.information.tests.factories import PDF, published_post, upload


def check_upload(file) -> str:
    return validate_upload(file, kinds=UPLOAD_KINDS)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.pdf", PDF, "pdf"),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg"),
        ("a.docx", _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}), "docx"),
        ("a.xlsx", _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "xlsx"),
        ("a.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "odt"),
        ("a.pptx", _zip({"[Content_Types].xml": b"<x/>", "ppt/presentation.xml": b"<x/>"}), "pptx"),
        ("a.odp", _zip({"mimetype": b"application/vnd.oasis.opendocument.presentation"}), "odp"),
        ("a.csv", b"commune,poste\nOdars,accueil\n", "csv"),
        ("notes.txt", "Réunion de lundi".encode(), "txt"),
        ("notes.md", "# Réunion, lundi".encode(), "md"),  # text: the name picks among text kinds
        ("renamed.docx", PDF, "pdf"),  # the content decides, not the name
    ],
)
def test_accepted_kinds_are_recognised_by_their_content(name, data, expected):
    assert KINDS[check_upload(upload(name, data))].extension == expected


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("page.txt", b"\x00\x01binary"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("archive.zip", _zip({"a.exe": b"MZ"})),
        ("latin1.txt", "éé".encode("latin-1")),
    ],
)
def test_other_kinds_are_refused_naming_the_file(name, data):
    with pytest.raises(
        ValidationError, match=re.escape(f"« {name} » n'est pas d'un format accepté")
    ):
        check_upload(upload(name, data))


def test_a_file_above_the_limit_is_refused(settings):
    settings.MUTUALIS_MAX_UPLOAD_BYTES = 100
    with pytest.raises(
        ValidationError, match=re.escape("« gros.pdf » pèse 0,0 Mo : la limite est de 0 Mo")
    ):
        check_upload(upload("gros.pdf", PDF + b"x" * 200))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match=re.escape("« vide.pdf » est vide")):
        check_upload(upload("vide.pdf", b""))


@pytest.mark.django_db
def test_attachments_are_served_only_to_the_posts_readers(client, odars, odars_agent, labege_it):
    from mutualis.information import services
    from mutualis.information.tests.factories import coordinator

    post = published_post("Pièce pour Odars", communes=[odars])
    services.save_post(post=post, by=coordinator(), communes=[odars], uploads=[upload("plan.pdf")])
    attachment = PostAttachment.objects.get(post=post)
    url = reverse("information:post_attachment", args=[attachment.pk])
    client.force_login(labege_it)
    assert client.get(url).status_code == 404
    client.force_login(odars_agent)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


@pytest.mark.django_db
def test_a_bad_attachment_leaves_the_post_unwritten(client, coordinator):
    from mutualis.information.models import Post

    client.force_login(coordinator)
    response = client.post(
        reverse("information:post_create"),
        {
            "title": "Avec une pièce douteuse",
            "category": "news",
            "body": "x",
            "audience": "all",
            "to_managers": "on",
            "publish_at": "2025-03-01T10:00",
            "attachments": [upload("ok.pdf"), upload("script.pdf", b"#!/bin/sh\nrm -rf /")],
        },
    )
    assert response.status_code == 200
    assert "« script.pdf » n&#x27;est pas d&#x27;un format accepté" in response.content.decode()
    assert not Post.objects.filter(title="Avec une pièce douteuse").exists()

"""The awareness attestation: one page, issued and signed by the intercommunality named in the
programme file, naming the module by its title."""

from io import BytesIO

import pytest
from django.urls import reverse
from pdfminer.high_level import extract_text
from pdfminer.pdfpage import PDFPage

from mutualis.awareness.models import Attestation

pytestmark = pytest.mark.django_db


def _pdf(client, user):
    attestation = Attestation.objects.filter(user=user).select_related("module_version").first()
    client.force_login(user)
    response = client.get(reverse("awareness:attestation", args=[attestation.number]))
    return attestation, response.content


def test_the_attestation_fits_one_page(client, odars_agent):
    _attestation, pdf = _pdf(client, odars_agent)
    assert len(list(PDFPage.get_pages(BytesIO(pdf)))) == 1


def test_the_attestation_names_its_issuer_and_signature_block(client, odars_agent, programme):
    attestation, pdf = _pdf(client, odars_agent)
    text = " ".join(extract_text(BytesIO(pdf)).split())
    issuer = programme.spec.issuer
    assert issuer.name.startswith("Sicoval")
    assert f"{issuer.name} atteste que" in text
    assert f"Fait à {issuer.place}" in text and issuer.signatory_title in text
    module = attestation.module_version
    assert f"« {module.title} », version {module.version}" in text
    assert f"{module.module.slug} v{module.version}" not in text


def test_the_shipped_programme_signs_as_the_president_of_the_sicoval(client, odars_agent):
    """The demo programme file's signature block: « Le Président du Sicoval » (the seed
    deliberation names no president: the name is left to the operator), on a one-page PDF."""
    _attestation, pdf = _pdf(client, odars_agent)
    text = " ".join(extract_text(BytesIO(pdf)).split())
    assert "Le Président du Sicoval" in text
    assert len(list(PDFPage.get_pages(BytesIO(pdf)))) == 1


def test_a_named_signatory_is_printed_and_the_attestation_stays_one_page(
    client, odars_agent, programme
):
    """A file that names its signatory prints the name under the title, still on one page."""
    from django.conf import settings

    from mutualis.programme.services import load_programme

    text = settings.MUTUALIS_DEFAULT_PROGRAMME_FILE.read_text(encoding="utf-8")
    named = text.replace('signatory_name = ""', 'signatory_name = "Marie-Christine Dupont-Laborde"')
    assert named != text
    load_programme(text=named, source="signataire-nomme.toml")
    _attestation, pdf = _pdf(client, odars_agent)
    printed = " ".join(extract_text(BytesIO(pdf)).split())
    assert "Le Président du Sicoval Marie-Christine Dupont-Laborde" in printed
    assert len(list(PDFPage.get_pages(BytesIO(pdf)))) == 1


def test_the_operator_is_the_default_issuer(programme):
    spec = programme.spec.model_copy(update={"issuer": None})
    assert spec.document_issuer.name == programme.spec.programme.operator_name
    assert spec.document_issuer.signatory_name == ""

"""Render a Django template to a PDF with WeasyPrint; every document of the platform goes here."""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Return the PDF bytes of a template. Static assets resolve from the app's static folders."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    base_url = str(settings.PACKAGE_DIR)
    return HTML(string=html, base_url=base_url).write_pdf(font_config=_font_config())


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response

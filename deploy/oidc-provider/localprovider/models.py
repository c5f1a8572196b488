from django.conf import settings
from django.db import models


class Identity(models.Model):
    """What ProConnect would say about a person beyond Django's user: their organisation's SIRET
    and how strongly they authenticated (`acr`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    usual_name = models.CharField(max_length=150)
    siret = models.CharField(max_length=14, blank=True)
    acr = models.CharField(max_length=100, default="eidas1")

    def __str__(self) -> str:
        return self.user.email

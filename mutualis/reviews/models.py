"""Six-monthly reviews: figures computed for a period, then frozen when published."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mutualis.programme.models import Programme


class Review(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reviews")
    number = models.PositiveSmallIntegerField(_("numéro"))
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.DRAFT)
    figures = models.JSONField(_("chiffres"), default=dict)
    computed_at = models.DateTimeField(_("calculé le"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comments = models.TextField(_("commentaires du coordinateur"), blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("bilan")
        verbose_name_plural = _("bilans")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_review_per_period")
        ]

    def __str__(self) -> str:
        return gettext("%(programme)s — bilan n° %(number)s") % {
            "programme": self.programme.slug,
            "number": self.number,
        }

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def previous(self) -> "Review | None":
        return (
            Review.objects.filter(programme=self.programme, number__lt=self.number)
            .order_by("-number")
            .first()
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "mutualis.reviews"
    verbose_name = _("Bilans")

    def ready(self) -> None:
        from mutualis.core.signals import demo_loaded
        from mutualis.reviews.demo import load_reviews_demo

        demo_loaded.connect(load_reviews_demo, dispatch_uid="mutualis.reviews.demo")

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mutualis.core"
    verbose_name = _("Socle technique")

    def ready(self) -> None:
        # Each new SQLite connection learns the French alphabetical order (core.collation).
        from mutualis.core.collation import register_sqlite

        connection_created.connect(register_sqlite, dispatch_uid="core-french-collation")

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_versions(sender, using, **kwargs) -> None:
    from mutualis.core import versions

    versions.install(using)


class CoreConfig(AppConfig):
    name = "mutualis.core"
    verbose_name = _("Socle technique")

    def ready(self) -> None:
        # After every migrate (and flush): the version triggers and token rows, see versions.py.
        post_migrate.connect(_install_versions, sender=self, dispatch_uid="core-versions")
        from mutualis.core.collation import register_sqlite

        connection_created.connect(register_sqlite, dispatch_uid="core-french-collation")

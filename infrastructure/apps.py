from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfrastructureConfig(AppConfig):
    """What no domain owns: page cache, backups, rich text, the Redis backend, deploy checks.

    It knows no model of the apps above it; they register what it needs to
    know (which events' pages a change makes stale, the rows an event's backup
    holds) in their own ``ready()``.
    """

    name = "infrastructure"
    verbose_name = _("Infrastructure")

    def ready(self):
        from infrastructure import checks  # noqa: F401 (registers them)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = _("Schedule")

    def ready(self):
        # search registers, on import, the SQLite function it folds text with.
        from schedule import backup, search, stale_pages  # noqa: F401

        stale_pages.register()
        backup.register_sections()

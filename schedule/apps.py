from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "schedule"

    def ready(self):
        # search registers, on import, the SQLite function it folds text with.
        from schedule import backup, search, stale_pages  # noqa: F401

        stale_pages.register()
        backup.register_sections()

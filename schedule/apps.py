from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "schedule"

    def ready(self):
        # Registers the SQLite function the search folds text with.
        from schedule import search  # noqa: F401

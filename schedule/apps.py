from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "schedule"

    def ready(self):
        from schedule import backup, stale_pages

        stale_pages.register()
        backup.register_sections()

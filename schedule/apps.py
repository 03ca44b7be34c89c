from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "schedule"

    def ready(self):
        from schedule import stale_pages

        stale_pages.register()

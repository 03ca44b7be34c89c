from django.apps import AppConfig


class SpeakersConfig(AppConfig):
    name = "speakers"

    def ready(self):
        from speakers import backup, stale_pages

        stale_pages.register()
        backup.register_sections()

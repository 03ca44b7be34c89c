from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "Call for proposals"

    def ready(self):
        from proposals import stale_pages

        stale_pages.register()

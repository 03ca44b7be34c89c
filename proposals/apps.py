from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "Call for proposals"

    def ready(self):
        from proposals import generate, stale_pages

        stale_pages.register()
        generate.register_part()

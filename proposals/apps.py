from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Call for proposals")

    def ready(self):
        from proposals import generate, stale_pages

        stale_pages.register()
        generate.register_part()

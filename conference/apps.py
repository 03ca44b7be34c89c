from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    name = "conference"
    default = True
    verbose_name = _("Conference")

    def ready(self):
        from conference import backup, stale_pages

        stale_pages.register()
        backup.register_sections()


class ConferenceAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with a site that lets organisers in."""

    default = False
    default_site = "conference.admin_site.ConferenceAdminSite"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from conference.admin_site import is_organiser
        from speakers import account_links

        account_links.register(
            label=_("API tokens"), url_name="api_tokens:list", shown_to=is_organiser
        )

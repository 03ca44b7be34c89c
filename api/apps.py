from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from conference.admin_site import is_organiser
        from speakers import account_links

        account_links.register(
            label="API tokens", url_name="api_tokens:list", shown_to=is_organiser
        )

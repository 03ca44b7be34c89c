"""An organiser's API tokens, under /accounts/tokens/ beside the other account pages."""

from django.urls import path

from api import account_views

app_name = "api_tokens"

urlpatterns = [
    path("", account_views.token_list, name="list"),
    path("<int:token_id>/revoke/", account_views.token_revoke, name="revoke"),
]

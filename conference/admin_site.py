"""The admin site, open to staff and to members of the Organisers group."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORGANISERS_GROUP = "Organisers"


def is_organiser(user):
    """Whether ``user`` may use the admin; asked several times a page, answered once per user.

    The answer is kept on the user object, which lives for one request.
    """
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_staff:
        return True
    found = getattr(user, "_is_organiser", None)
    if found is None:
        found = user._is_organiser = user.groups.filter(name=ORGANISERS_GROUP).exists()
    return found


class OrganiserAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        if not is_organiser(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class ConferenceAdminSite(admin.AdminSite):
    site_header = _("Conference administration")
    site_title = _("Conference admin")
    index_title = _("Events, talks and speakers")
    login_form = OrganiserAuthenticationForm

    def has_permission(self, request):
        return is_organiser(request.user)

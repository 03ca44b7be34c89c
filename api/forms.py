"""The form an organiser names a new API token with, on their account page."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        label=_("Name"),
        help_text=_("What it is for, e.g. “video pipeline”, to tell your tokens apart."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = self.cleaned_data["name"]
        if ApiToken.objects.active().filter(user=self.user, name__iexact=name).exists():
            raise forms.ValidationError(
                gettext(
                    "You already have a token named “%(name)s”: choose another name, "
                    "or revoke that token first."
                )
                % {"name": name}
            )
        return name

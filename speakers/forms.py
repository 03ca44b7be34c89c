"""Forms for speakers' profiles: the speaker's own, and the organisers' in the admin."""

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from infrastructure.edit_lock import EditLockForm
from infrastructure.rich_text import MARKDOWN_MAX_LENGTH
from speakers.models import Speaker, SpeakerLink
from speakers.photos import PhotoRejected, process_photo


class SpeakerPhotoForm(forms.Form):
    """A new photo, checked and re-encoded before anything is stored, or its removal."""

    photo_upload = forms.FileField(
        label=_("New photo"),
        required=False,
        help_text=format_lazy(
            _(
                "JPEG, PNG, WebP or GIF, at most {megabytes} MB. "
                "It is stored without its metadata (location, camera)."
            ),
            megabytes=settings.SPEAKER_PHOTO_MAX_BYTES // (1024 * 1024),
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def __init__(self, *args, held_photo=None, **kwargs):
        """``held_photo``: a ``ProcessedPhoto`` chosen earlier, used when no file is sent."""
        super().__init__(*args, **kwargs)
        self.held_photo = held_photo
        self.processed_photo = None

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            try:
                self.processed_photo = process_photo(upload)
            except PhotoRejected as error:
                raise forms.ValidationError(str(error), code="photo_rejected") from None
        return upload

    def clean(self):
        cleaned_data = super().clean()
        # A new file replaces the held photo, and removing the photo drops it.
        if (
            self.held_photo is not None
            and self.processed_photo is None
            and "photo_upload" not in self.errors
            and not cleaned_data.get("remove_photo")
        ):
            self.processed_photo = self.held_photo
        return cleaned_data


class SpeakerProfileForm(EditLockForm, SpeakerPhotoForm, forms.ModelForm):
    """What a speaker may change about themselves, and nothing else.

    The fields are listed, so an extra field in a forged POST (``user``,
    ``slug``, another speaker's id) is ignored. A save over an organiser's
    newer edit is refused (``EditLockForm``).
    """

    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Speaker
        fields = ["name", "affiliation", "bio", "website", "language", "notify_schedule_changes"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 8})}
        labels = {"notify_schedule_changes": _("Email me when my talks move")}
        help_texts = {
            "bio": format_lazy(
                _(
                    "Markdown: blank lines make paragraphs; *emphasis*, lists and "
                    "[links](https://example.org) work, in at most {count} characters. "
                    "Press “Preview” to see it."
                ),
                count=f"{MARKDOWN_MAX_LENGTH:,}",
            ),
        }


class ProfileCompletionForm(SpeakerPhotoForm, forms.ModelForm):
    """The parts of a speaker's profile still missing (bio, photo), asked for beside a proposal.

    Handing a proposal in (``submitting``) needs the bio; the photo stays optional.
    """

    class Meta:
        model = Speaker
        fields = ["bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        labels = {"bio": _("Your bio")}
        help_texts = {
            "bio": _(
                "A few lines about you, shown on your speaker page once the talk is in the "
                "programme. Markdown works."
            )
        }

    def __init__(self, *args, submitting, **kwargs):
        super().__init__(*args, **kwargs)
        missing = self.instance.missing_profile_parts
        del self.fields["remove_photo"]
        if "bio" in missing:
            self.fields["bio"].required = submitting
        else:
            del self.fields["bio"]
        if "photo" not in missing:
            del self.fields["photo_upload"]


class SpeakerAdminForm(EditLockForm, SpeakerPhotoForm, forms.ModelForm):
    """The organisers' speaker form: photos go through the same checks as speakers' own.

    A save over a newer edit (another organiser's, or the speaker's own) is refused.
    """

    class Meta:
        model = Speaker
        fields = ["name", "slug", "affiliation", "email", "bio", "website", "user", "external_id"]


class SpeakerLinkForm(forms.ModelForm):
    """One link; an empty extra row is optional, a half-filled one names the missing half."""

    url = forms.URLField(label=_("URL"), max_length=300, assume_scheme="https")

    class Meta:
        model = SpeakerLink
        fields = ["label", "url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An extra row may stay empty, so it is not marked required; a stored
        # link keeps both halves required (its checkbox deletes it).
        if self.empty_permitted:
            for name in ("label", "url"):
                self.fields[name].required = False

    def clean(self):
        cleaned_data = super().clean()
        if self.empty_permitted and self.has_changed():
            for name in ("label", "url"):
                if not cleaned_data.get(name) and name not in self.errors:
                    message = self.fields[name].error_messages["required"]
                    self.add_error(name, forms.ValidationError(message, code="required"))
        return cleaned_data


SpeakerLinkFormSet = forms.inlineformset_factory(
    Speaker,
    SpeakerLink,
    form=SpeakerLinkForm,
    extra=2,
    max_num=6,
    validate_max=True,
    can_delete=True,
)

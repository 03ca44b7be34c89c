"""What the admin's "Release schedule" page posts."""

import hashlib

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from schedule.models import Release


def _state(talk):
    if talk is None:
        return None
    speakers = tuple(link.speaker_id for link in talk.talk_speakers.all())
    return (talk.title, talk.kind, talk.start, talk.end, talk.room_id, talk.track_id, speakers)


def plan_fingerprint(plan):
    """A short stamp of the changes a plan shows, to tell whether they changed before the post.

    Each change counts with the talk's new state, so a talk moved once more
    between the page and its post changes the stamp.
    """
    changes = sorted(
        repr((str(change.talk.uuid), change.kind, change.fields, _state(change.after)))
        for change in plan.changes
    )
    seen = [plan.previous.pk if plan.previous else None, *changes]
    return hashlib.sha256(repr(seen).encode()).hexdigest()[:16]


class ReleaseForm(forms.Form):
    name = forms.CharField(
        max_length=Release._meta.get_field("name").max_length,
        label=_("Name"),
        required=False,
        help_text=_('What attendees call it, e.g. "1.2" or "final"; left empty, its number.'),
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        label=_("Comment"),
        required=False,
        help_text=_("Shown to the public with the release."),
    )
    notify = forms.BooleanField(
        label=_("Tell the speakers"),
        required=False,
        initial=True,
        help_text=_("One mail to each speaker whose talk is new, cancelled, withdrawn or moved."),
    )
    release_anyway = forms.BooleanField(
        label=_("Release anyway"),
        required=False,
        help_text=_("Release although the schedule has the errors listed above."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fingerprint = plan_fingerprint(plan)
        if not plan.errors:
            del self.fields["release_anyway"]

    def clean(self):
        # The page posts the stamp of the changes it showed (``seen``): release only those.
        if self.data.get("seen") != self.fingerprint:
            raise forms.ValidationError(
                gettext(
                    "The schedule changed since the page was shown: check the changes again, "
                    "then release."
                ),
                code="stale",
            )
        return super().clean()

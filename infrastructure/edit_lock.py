"""Optimistic locking for change forms: a save over someone else's newer one is refused.

A form draws the row's ``updated`` stamp into a hidden field. On save it locks
the row until the surrounding transaction ends (the admin runs each change in
one) and compares the stamp with the stored one: another save since the page
was drawn means this one is refused with a message, instead of silently
undoing theirs. Two saves at the same moment queue on the lock, so the second
is checked against the first. A form posted without a stamp (a script, an old
page) still waits for the lock, then the later save wins.

Any model with an ``updated = DateTimeField(auto_now=True)`` can use it; it
lives here, in the lowest app, so that the forms of every app can.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class StampField(forms.CharField):
    """A row's ``updated`` stamp as the page printed it (ISO 8601, with its offset)."""

    default_error_messages = {
        "required": _("The page sent no version of what you edited; reload it and try again."),
        "invalid": _("The page sent an unreadable version of what you edited; reload it."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            stamp = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if stamp.tzinfo is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return stamp


class EditLockForm(forms.Form):
    """Mixed into a ModelForm (before it) to refuse saving over a newer version of the row."""

    seen_updated = StampField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A version rebuilt from history has no stamp of its own to show.
        if self.instance.pk is not None and self.instance.updated is not None:
            self.initial["seen_updated"] = self.instance.updated.isoformat()

    def edit_lock_time(self, stamp):
        """``stamp`` as the clock the editors go by; the event's zone where there is one."""
        return timezone.localtime(stamp)

    def clean(self):
        cleaned_data = super().clean()
        self.lock_unchanged(cleaned_data.get("seen_updated"))
        return cleaned_data

    def lock_unchanged(self, seen_updated):
        """Lock the row until the transaction ends; refuse the save if it changed since seen."""
        if self.instance.pk is None or not transaction.get_connection().in_atomic_block:
            return
        model = type(self.instance)
        noun = model._meta.verbose_name
        current = (
            model._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated", flat=True)
            .first()
        )
        if current is None:
            self.add_error(
                None,
                ValidationError(
                    gettext("Someone else deleted this %(thing)s since you opened it.")
                    % {"thing": noun},
                    code="deleted_since_opened",
                ),
            )
        elif seen_updated is not None and current != seen_updated:
            changed = self.edit_lock_time(current)
            self.add_error(
                None,
                ValidationError(
                    gettext(
                        "Someone else saved this %(thing)s at %(time)s since you opened it. "
                        "Reload the page to see their changes, then make yours again."
                    )
                    % {"thing": noun, "time": f"{changed:%H:%M %Z}"},
                    code="changed_since_opened",
                ),
            )

"""Releasing what an importer or the generator loaded, so that attendees see it at once.

An import's clashes are already reported as its warnings, so they do not stop
the release; and no speaker is mailed: a first import would tell every
speaker that each of their talks is new.
"""

from django.utils.translation import gettext

from schedule.releases.service import NothingToRelease, ReleaseRefused, release_schedule


def release_after_load(*, event):
    """Release ``event``'s working schedule after a load; the sentence its report ends with."""
    try:
        release, _ = release_schedule(event, notify=False, allow_errors=True)
    except NothingToRelease:
        return gettext("No new release: attendees already see this schedule.")
    except ReleaseRefused as refusal:
        # Only a name taken by hand ("2" given to release 1) gets here: the load stands.
        return gettext("Not released: %(refusal)s Run release_schedule with a --name.") % {
            "refusal": refusal
        }
    return gettext("Released as “%(name)s”.") % {"name": release.name}

"""Running an import's transaction once more when a concurrent import won a race."""

from django.db import IntegrityError

from conference.models import Event
from schedule.importing.errors import ImportFileError


def import_with_one_retry(attempt, *, event_slug, source):
    """``attempt()``, the transaction of an import; once more if another import won a race.

    An import locks its event's row, so two imports of an existing event take
    turns. Two imports creating the same event (or the same speaker) both
    insert it, and the database refuses the later one: that import's
    transaction is rolled back and run once more, and now finds the rows the
    other one committed. Losing twice raises :class:`ImportFileError` rather
    than a database traceback. A race lost before the insert, when the other
    import's new event is committed before this one's checks see it ("already
    exists"), is run once more too.
    """
    existed = Event.objects.filter(slug=event_slug).exists()
    try:
        return attempt()
    except IntegrityError:
        pass
    except ImportFileError:
        if existed or not Event.objects.filter(slug=event_slug).exists():
            raise
    try:
        return attempt()
    except IntegrityError as error:
        message = (
            f"the event {event_slug} changed while this import ran (another import at the "
            f"same time?); nothing was imported, run it again ({str(error).splitlines()[0]})"
        )
        raise ImportFileError([(None, message)], source) from error

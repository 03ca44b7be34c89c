"""Organisers' writes through the API, checked as the admin checks them.

A talk is validated by the model's own rules (``full_clean``: the event's
rooms and tracks, start before end, unique slugs) and by the schedule's clash
rules (``schedule.clashes.candidate_clashes``, the ones the talk form and the
board use): a clash refuses the write, naming the other talk, unless it is
forced. A write made from a stale copy of the talk (its ETag) is refused.
Each write is one transaction; a refused one writes nothing.
"""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat
from django.utils.text import slugify
from django.utils.translation import gettext

from api.problems import Conflict, PreconditionFailed
from infrastructure.slugs import UniqueSlugs
from schedule.clashes import Code, candidate_clashes, talks_for_checks
from schedule.models import Talk, TalkSpeaker


def talk_etag(talk):
    """A strong ETag of the stored talk: it changes whenever the talk is saved."""
    stamp = f"{talk.uuid}:{talk.updated.isoformat()}".encode()
    return '"' + hashlib.sha256(stamp).hexdigest()[:32] + '"'


def _check_precondition(talk, if_match):
    if if_match is None or if_match.strip() == "*":
        return
    given = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if talk_etag(talk) not in given:
        changed = talk.event.local_time(talk.updated)
        raise PreconditionFailed(
            gettext(
                "“%(title)s” changed at %(time)s on %(day)s, after the copy your If-Match "
                "names; read it again and make your change on the new copy."
            )
            % {
                "title": talk.title,
                "time": f"{changed:%H:%M %Z}",
                "day": dateformat.format(changed, "j M Y"),
            }
        )


def _locked(talk):
    locked = Talk.objects.select_for_update().filter(pk=talk.pk)
    list(locked.values_list("pk", flat=True))
    return Talk.objects.select_related("event", "room", "track").get(pk=talk.pk)


def _new_slug(event, title):
    max_length = Talk._meta.get_field("slug").max_length
    base = slugify(title)[:max_length] or "talk"
    taken = Talk.objects.filter(event=event, slug__startswith=base).values_list("slug", flat=True)
    return UniqueSlugs(taken).make(base, max_length=max_length)


def _apply_times(talk, changes):
    """Start, end and duration as given; a new start alone keeps the talk's length."""
    minutes = changes.pop("duration_minutes", None)
    length = talk.duration
    if "start" in changes:
        talk.start = changes.pop("start")
    if "end" in changes:
        talk.end = changes.pop("end")
        if minutes is not None and talk.start is not None:
            computed = talk.start + datetime.timedelta(minutes=minutes)
            if computed != talk.end:
                raise ValidationError(
                    {
                        "duration_minutes": gettext(
                            "The end and the duration disagree: give one of them."
                        )
                    }
                )
    elif minutes is not None:
        if talk.start is None:
            raise ValidationError(
                {"duration_minutes": gettext("Give the start too: it counts from it.")}
            )
        talk.end = talk.start + datetime.timedelta(minutes=minutes)
    elif talk.start is not None and length is not None:
        talk.end = talk.start + length
    elif talk.start is None:
        talk.end = None
    for name in ("start", "end"):
        value = getattr(talk, name)
        if value is not None:
            setattr(talk, name, value.astimezone(datetime.UTC))


def _check_clashes(talk, speakers, *, force):
    event = talk.event
    problems = candidate_clashes(
        talk, speakers=speakers, others=talks_for_checks(event), event=event
    )
    outside = [problem for problem in problems if problem.code == Code.OUTSIDE_EVENT]
    if outside:
        raise ValidationError({"start": [problem.message for problem in outside]})
    if problems and not force:
        others = []
        for problem in problems:
            others.extend(other for other in problem.talks if other is not talk)
        raise Conflict(
            [problem.message for problem in problems]
            + [gettext("Send force=1 to save despite the clash.")],
            others=list({other.pk: other for other in others}.values()),
        )


def talk_save(*, event, talk=None, changes, speakers=None, if_match=None, force=False):
    """Create (``talk`` None) or change a talk of ``event``; the saved talk.

    ``changes`` are model fields (with ``room`` and ``track`` rows of the
    event) plus ``duration_minutes``; ``speakers`` replaces the talk's
    speakers, in order, when given. Raises ``ValidationError`` (400),
    ``Conflict`` (a clash, 409) or ``PreconditionFailed`` (stale, 412).
    """
    changes = dict(changes)
    with transaction.atomic():
        if talk is None:
            talk = Talk(event=event)
        else:
            talk = _locked(talk)
            _check_precondition(talk, if_match)
        _apply_times(talk, changes)
        for name, value in changes.items():
            setattr(talk, name, value)
        if not talk.slug:
            talk.slug = _new_slug(event, talk.title)
        talk.full_clean()
        current = (
            list(speakers)
            if speakers is not None
            else [link.speaker for link in talk.talk_speakers.select_related("speaker")]
            if talk.pk
            else []
        )
        _check_clashes(talk, current, force=force)
        talk.save()
        if speakers is not None:
            TalkSpeaker.objects.filter(talk=talk).delete()
            TalkSpeaker.objects.bulk_create(
                TalkSpeaker(talk=talk, speaker=speaker, position=position)
                for position, speaker in enumerate(speakers)
            )
    return talk


def talk_delete(*, talk, if_match=None):
    with transaction.atomic():
        current = _locked(talk)
        _check_precondition(current, if_match)
        current.delete()


def place_save(*, row, changes):
    """Create or change a room, track or speaker: the model's own validation, then one save.

    A new row without a slug is slugged after its name, unique in its event
    (speakers: among every speaker).
    """
    with transaction.atomic():
        for name, value in changes.items():
            setattr(row, name, value)
        if not row.slug:
            model = type(row)
            max_length = model._meta.get_field("slug").max_length
            if hasattr(model, "unique_slug_for"):
                row.slug = model.unique_slug_for(row.name)
            else:
                base = slugify(row.name)[:max_length] or model._meta.model_name
                taken = model.objects.filter(event=row.event, slug__startswith=base)
                row.slug = UniqueSlugs(taken.values_list("slug", flat=True)).make(
                    base, max_length=max_length
                )
        row.full_clean()
        row.save()
    return row

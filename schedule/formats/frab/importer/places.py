"""The rooms and tracks of a frab import: matched by name within the event, ordered as the file."""

from conference.models import Track
from infrastructure.slugs import UniqueSlugs
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import column_length, excerpt
from schedule.importing.names import name_key
from schedule.importing.results import Outcome
from schedule.importing.writer import (
    bulk_update_changed,
    row_errors,
)

# Tracks the file gives no colour (d3's category10: distinct, and readable on white).
TRACK_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


def places_sync(*, model, part, event, entries, result, source, limits):
    """The rooms or tracks (``model``) of ``event`` for ``entries``, by name key.

    The file's order is their position. New ones are inserted and changed
    ones updated in a statement or two, whatever their number.
    """
    existing = {}
    stored = list(model.objects.filter(event=event).order_by("pk"))
    for place in stored:
        existing.setdefault(name_key(place.name), place)
    taken = UniqueSlugs(place.slug for place in stored)
    places, errors, new, changes = {}, [], [], []
    for position, entry in enumerate(entries):
        place = existing.get(name_key(entry.name))
        colour = getattr(entry, "colour", "")
        if place is None:
            place = model(
                event=event,
                name=entry.name,
                slug=taken.make_from(
                    entry.slug or entry.name,
                    fallback=part,
                    max_length=column_length(model, "slug"),
                ),
                position=position,
            )
            if model is Track:
                place.colour = colour or TRACK_PALETTE[position % len(TRACK_PALETTE)]
            changed = None
        else:
            changed = []
            if place.position != position:
                place.position = position
                changed.append("position")
            # A track the file gives no colour keeps the one it has.
            if colour and place.colour.lower() != colour:
                place.colour = colour
                changed.append("colour")
            if not changed:
                places[name_key(entry.name)] = place
                result.count(f"{part}s", Outcome.UNCHANGED)
                continue
        problems = row_errors(
            place,
            what=f'{part} "{excerpt(entry.name)}"',
            field_lines={},
            default_line=entry.line,
            limits=limits,
        )
        if problems:
            errors.extend(problems)
            continue
        if changed is None:
            new.append(place)
            result.count(f"{part}s", Outcome.CREATED)
        else:
            changes.append((place, changed))
            result.count(f"{part}s", Outcome.UPDATED)
        places[name_key(entry.name)] = place
    if errors:
        raise ImportFileError(errors, source)
    # Slugs are unique within the event by construction: ``taken`` holds all of its own.
    model.objects.bulk_create(new)
    bulk_update_changed(changes, update=model.objects.bulk_update)
    return places

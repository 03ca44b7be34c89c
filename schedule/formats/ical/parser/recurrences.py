"""The talks a file's events make, one per occurrence, each with the key a re-import finds.

A UID names one event, or one recurring event (RRULE, RDATE) with the
occurrences it changes (events of its UID with a RECURRENCE-ID, RFC 5545
3.8.4.4). A recurring event is expanded by ``recurring-ical-events`` (which
applies EXDATE, RDATE and the changed occurrences) into one talk per
occurrence, keyed on the UID and the occurrence's RECURRENCE-ID, so that a
second import finds the same talks. The expansion is bounded: a rule without
end (no COUNT, no UNTIL), or one that would make more talks than the import
takes (``--max-talks``), refuses the file at its line, rather than creating
years of weekly sessions.

Some exporters repeat a UID without any RECURRENCE-ID; those events are keyed
on their UID and start, with a warning. Two events of one key (a UID and a
start used twice) stay an error: which one is meant is unknown.
"""

import itertools

import icalendar
import recurring_ical_events

from schedule.formats.ical.parser.records import occurrence_text
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import LIMIT_OPTIONS, excerpt


def _rule_line(reading):
    return reading.lines.first("RRULE" if "RRULE" in reading.lines.properties else "RDATE")


def _label(reading):
    return f'event "{excerpt(reading.values["title"])}"'


def _expanded(master, overrides, *, skipped, budget, source):
    """``[(reading, values)]`` of each occurrence of ``master``, at most ``budget``.

    ``overrides`` are the readings of the occurrences the file changes;
    ``skipped`` the RECURRENCE-IDs of changed occurrences that make no talk
    (a marker of no length), which are left out too.
    """
    rules = master.component.get("RRULE")
    rules = rules if isinstance(rules, list) else [rules] if rules is not None else []
    if any("COUNT" not in rule and "UNTIL" not in rule for rule in rules):
        # Refused before it is expanded: no limit would hold it, and counting to one
        # takes the library a while.
        raise ImportFileError(
            [
                (
                    _rule_line(master),
                    f"{_label(master)} repeats without end (its RRULE has no COUNT or UNTIL), "
                    "so it would make more talks than any import takes; give the rule a COUNT "
                    "or an UNTIL",
                )
            ],
            source,
        )
    calendar = icalendar.Calendar()
    for reading in (master, *overrides):
        calendar.add_component(reading.component)
    try:
        found = list(itertools.islice(recurring_ical_events.of(calendar).all(), budget + 1))
    except ValueError as error:  # the library's InvalidCalendar is one
        raise ImportFileError(
            [(_rule_line(master), f"{_label(master)}: its recurrence cannot be expanded: {error}")],
            source,
        ) from None
    if len(found) > budget:
        raise ImportFileError(
            [
                (
                    _rule_line(master),
                    f"{_label(master)} repeats into more talks than the import takes "
                    f"(more than {budget:,} occurrences; use {LIMIT_OPTIONS['max_talks']} "
                    "to raise it)",
                )
            ],
            source,
        )
    by_id = {reading.recurrence_id: reading for reading in overrides}
    occurrences = []
    for component in found:
        prop = component.get("RECURRENCE-ID") or component["DTSTART"]
        occurrence = prop.dt
        if occurrence in skipped:
            continue
        override = by_id.pop(occurrence, None)
        if override is not None:
            occurrences.append((override, {**override.values, "occurrence": occurrence}))
            continue
        end = component.get("DTEND")
        values = {
            **master.values,
            "start": component["DTSTART"].dt,
            "end": end.dt if end is not None else None,
            "duration": None if end is not None else master.values["duration"],
            "occurrence": occurrence,
        }
        occurrences.append((master, values))
    # A changed occurrence the rule does not give: still a session the file lists.
    occurrences += [(r, {**r.values, "occurrence": r.recurrence_id}) for r in by_id.values()]
    return occurrences


def _recurring(master, group, *, skipped, budget, source, warnings):
    overrides = [reading for reading in group if reading.recurrence_id is not None]
    occurrences = _expanded(master, overrides, skipped=skipped, budget=budget, source=source)
    changed = sum(reading is not master for reading, _ in occurrences)
    count = len(occurrences)
    warnings.append(
        f"{source}:{_rule_line(master)}: {_label(master)} repeats: imported as {count} "
        f"talk{'s' if count != 1 else ''}, one per occurrence"
        + (f" ({changed} as changed by events of its UID)" if changed else "")
        + ", each keyed on its UID and RECURRENCE-ID"
    )
    return occurrences


def talk_occurrences(readings, *, skipped, source, limits, warnings, grouped):
    """``[(reading, values)]``, one per talk, in the file's order; ``values`` has ``occurrence``.

    ``skipped`` maps a UID to the RECURRENCE-IDs of its changed occurrences
    that were skipped. Errors (a key used twice) are returned as ``(line,
    message)``; a recurrence that cannot be expanded raises
    :class:`ImportFileError`. Warnings go to ``warnings``; the many of one kind
    also to ``grouped`` (summary -> warnings).
    """
    groups = {}
    for reading in readings:
        groups.setdefault(reading.values["uid"], []).append(reading)
    masters = {
        uid: [r for r in group if r.repeats and r.recurrence_id is None]
        for uid, group in groups.items()
    }
    # What is left for the expansions once every event that is no rule is counted.
    budget = limits.max_talks - sum(len(group) - len(masters[uid]) for uid, group in groups.items())
    talks, repeats, errors = [], [], []
    for uid, group in groups.items():
        rules = masters[uid]
        if rules:
            occurrences = _recurring(
                rules[0],
                group,
                skipped=set(skipped.get(uid, ())),
                budget=budget,
                source=source,
                warnings=warnings,
            )
            budget -= len(occurrences)
            talks += occurrences
            rest = [r for r in group if r.recurrence_id is None and r is not rules[0]]
        else:
            talks += [
                (r, {**r.values, "occurrence": r.recurrence_id})
                for r in group
                if r.recurrence_id is not None
            ]
            rest = [r for r in group if r.recurrence_id is None]
        if len(rest) == 1 and not rules:
            talks.append((rest[0], {**rest[0].values, "occurrence": None}))
            continue
        first = rules[0].values["line"] if rules else rest[0].values["line"] if rest else None
        for reading in rest:
            talks.append((reading, {**reading.values, "occurrence": reading.values["start"]}))
            if reading.values["line"] != first:
                repeats.append(
                    f'{source}:{reading.values["line"]}: the UID "{excerpt(uid)}" is also that '
                    f"of the event on line {first}, and neither has a RECURRENCE-ID; each is "
                    "keyed on its UID and start"
                )
    warnings += repeats
    if len(repeats) > 1:
        summary = (
            f"{repeats[0].split(': the UID', 1)[0]}: {len(repeats)} events repeat the UID of "
            "another without a RECURRENCE-ID; each is keyed on its UID and start; -v 2 lists each"
        )
        grouped[summary] = repeats
    talks.sort(key=lambda pair: pair[1]["line"])  # stable: occurrences stay in time order
    errors += _same_keys(talks)
    return talks, errors


def _same_keys(talks):
    """``(line, message)`` of each talk whose key an earlier one has: which is meant is unknown."""
    errors, first_line = [], {}
    for _, values in talks:
        occurrence = values["occurrence"]
        key = (values["uid"], None if occurrence is None else occurrence_text(occurrence))
        if key in first_line:
            when = "" if occurrence is None else " for the same occurrence (start or RECURRENCE-ID)"
            errors.append(
                (
                    values["line"],
                    f'the UID "{excerpt(values["uid"])}" is already used by the event on line '
                    f"{first_line[key]}{when}",
                )
            )
        else:
            first_line[key] = values["line"]
    return errors

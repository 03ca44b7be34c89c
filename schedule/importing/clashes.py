"""The clash-warning step every import ends with."""

from schedule.clashes import schedule_clashes

# Clashes an import lists at most: a file whose talks all overlap has the square of its
# talks of them, and check_schedule lists them all.
MAX_CLASH_WARNINGS = 100


def clash_warnings(*, event, source, line_of, skip=()):
    """The schedule's clashes after an import, as ``FILE:LINE: clash: …`` warnings.

    ``line_of(talk)`` is the line of the file a talk was read from, or None;
    clashes of a code in ``skip`` are left out (the importer reported them
    already). At most ``MAX_CLASH_WARNINGS`` are listed, then one line says
    there are more; finding them stops there.
    """
    warnings = []
    for problem in schedule_clashes(event):
        if problem.code in skip:
            continue
        if len(warnings) == MAX_CLASH_WARNINGS:
            warnings.append(
                f"{source}: more clashes than the {MAX_CLASH_WARNINGS} above; "
                f"manage.py check_schedule --event {event.slug} lists them all"
            )
            break
        line = line_of(problem.talks[0])
        where = f"{source}:{line}" if line else source
        warnings.append(f"{where}: clash: {problem.message}")
    return warnings


def add_clash_warnings(result, warnings):
    """Report ``warnings`` of :func:`clash_warnings` in ``result`` as about the schedule.

    They say what the schedule looks like after the import, not what the
    file says: reported, but never a reason for ``--strict`` to refuse it.
    """
    more = len(warnings) > MAX_CLASH_WARNINGS
    result.add_schedule_warnings(warnings, clashes=len(warnings) - more, more=more)

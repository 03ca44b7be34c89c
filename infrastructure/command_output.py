"""How the management commands report a service's result, the same way for every command."""


def write_result(command, result, *, verbosity=1):
    """A service's result as the commands print it: warnings, then what it did (or would).

    At ``verbosity`` 2 or more every warning is printed; below, a result that
    groups its warnings (``warnings_to_print(detail=...)``, as an import's
    does for many warnings of one kind) prints each group as one line that
    says how many there are. A result with a ``closing_line(detail=...)`` (an
    import's) ends the report with it: what was done and how many warnings,
    in one line; other results end with "Nothing changed." when so.
    """
    detail = verbosity >= 2
    if hasattr(result, "warnings_to_print"):
        warnings = result.warnings_to_print(detail=detail)
    else:
        warnings = result.warnings
    for warning in warnings:
        command.stderr.write(warning)
    if result.dry_run:
        command.stdout.write("Dry run: nothing was written.")
    command.stdout.write(result.summary())
    if hasattr(result, "closing_line"):
        command.stdout.write(result.closing_line(detail=detail))
    elif not result.changed:
        command.stdout.write("Nothing changed.")

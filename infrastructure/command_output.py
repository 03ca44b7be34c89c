"""How the management commands report a service's result, the same way for every command."""


def write_result(command, result):
    """A service's result as the commands print it: warnings, then what it did (or would)."""
    for warning in result.warnings:
        command.stderr.write(warning)
    if result.dry_run:
        command.stdout.write("Dry run: nothing was written.")
    command.stdout.write(result.summary())
    if not result.changed:
        command.stdout.write("Nothing changed.")

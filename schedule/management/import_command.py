"""What every importer's command shares: ``FILE --event SLUG [--dry-run] [--strict]`` (or
``--url URL [--timeout SECONDS]`` instead of FILE), the options that raise the import's
limits, and how it reports.

An importer's service raises an error with ``errors`` and ``messages()``
(``FILE:LINE: what is wrong``); the command prints each message, exits with
status 1 and no traceback, and on success prints the warnings and the
result's ``summary()`` (``write_result``): warnings of one kind that every
talk repeats are one line unless ``-v 2`` asks for each. ``--strict`` refuses
a file with any warning about it (``schedule.importing.strict``).

The report always ends with one line a person can act on: what was imported
and with how many warnings (``ImportResult.closing_line``), or why nothing
was, naming the option that would let the file through when one would
(``refusal_line``).

Unless ``--no-release`` (or ``--dry-run``), the import is released in the
same transaction (``release_after_load``): attendees see what was loaded, and
the closing line names the release, or says that nothing new was released.
"""

import argparse
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from conference.models import Event
from infrastructure.command_output import write_result
from schedule.importing.fetch import FetchError
from schedule.importing.limits import LIMIT_OPTIONS, ImportLimits
from schedule.importing.results import counted
from schedule.importing.strict import WarningsRefused, import_strictly
from schedule.management.url_option import add_url_arguments, file_or_url, read_from
from schedule.releases.loaded import release_after_load

_SIZE = re.compile(r"^\s*(?P<number>\d+)\s*(?P<unit>[kmg]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def file_size(text):
    """Bytes from "52428800", "50M", "50MB" or "1G" (units of 1,024)."""
    match = _SIZE.match(text)
    if not match or not int(match["number"]):
        raise argparse.ArgumentTypeError(f"expected a size such as 50M or 52428800, not {text!r}")
    return int(match["number"]) * _UNITS[match["unit"].lower()]


def positive_integer(text):
    if not text.strip().isdecimal() or not int(text):
        raise argparse.ArgumentTypeError(f"expected a whole number above zero, not {text!r}")
    return int(text)


def add_limit_arguments(parser):
    """The options that raise (or lower) an import's :class:`ImportLimits`."""
    defaults = ImportLimits()
    parser.add_argument(
        LIMIT_OPTIONS["max_file_size"],
        type=file_size,
        default=defaults.max_file_size,
        metavar="BYTES",
        help=f"The largest file taken, e.g. 100M (default: {defaults.max_file_size // 1024**2}M).",
    )
    parser.add_argument(
        LIMIT_OPTIONS["max_talks"],
        type=positive_integer,
        default=defaults.max_talks,
        metavar="N",
        help=f"The most talks a file may have (default: {defaults.max_talks:,}).",
    )
    parser.add_argument(
        LIMIT_OPTIONS["max_text_length"],
        type=positive_integer,
        default=defaults.max_text_length,
        metavar="CHARACTERS",
        help=(
            "The longest abstract, bio or description, in characters "
            f"(default: {defaults.max_text_length:,}). Names and titles fit their columns."
        ),
    )


def limits_from_options(options):
    return ImportLimits(**{name: options[name] for name in LIMIT_OPTIONS})


def _listed(options):
    names = list(options)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def refusal_line(source, error):
    """The last line when ``error`` refused the file: how many problems, and what would help.

    A problem whose message carries an option (``OptionMessage``: a limit,
    a missing zone) is one the organiser can let through without editing the
    file; the line names those options, and says when the rest of the
    problems still need the file fixed.
    """
    count = len(error.errors)
    line = f"{source}: {counted(count, 'problem')}; nothing was imported."
    options = error.options() if hasattr(error, "options") else {}
    helped = sum(options.values())
    if not helped:
        return line
    if helped == count:
        it = "it" if count == 1 else "the file"
        return f"{line} Run again with {_listed(options)} to let {it} through."
    return (
        f"{line} {_listed(options)} would let {helped} of them through; "
        "the others need the file fixed."
    )


def strict_refusal_line(source, refusal):
    """The last line when ``--strict`` refused a file for its warnings."""
    return (
        f"{source}: {counted(len(refusal.warnings), 'warning')} refused by {refusal.option}; "
        f"nothing was imported. Run without {refusal.option} to import the file with "
        f"{'it' if len(refusal.warnings) == 1 else 'them'}."
    )


class ImportCommand(BaseCommand):
    #: The exceptions the service raises for bad input.
    error_types = ()
    file_help = "The file to import."
    #: The help of ``--timezone``, for importers that take a zone; None for no option.
    timezone_help = None

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help=self.file_help)
        add_url_arguments(parser)
        parser.add_argument(
            "--event",
            required=True,
            dest="event_slug",
            metavar="SLUG",
            help="The slug of the event to create or update.",
        )
        if self.timezone_help:
            parser.add_argument("--timezone", dest="zone", metavar="ZONE", help=self.timezone_help)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do the whole import, report it, and roll it back.",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help=(
                "Refuse the file, writing nothing, if the import has any warning about it; "
                "the schedule's clashes are still only reported."
            ),
        )
        parser.add_argument(
            "--no-release",
            dest="release",
            action="store_false",
            help=(
                "Load into the working schedule only; attendees keep seeing the current "
                "release until release_schedule makes the next one."
            ),
        )
        add_limit_arguments(parser)

    def run_import(self, *, path, event_slug, dry_run, limits, zone=None):
        raise NotImplementedError

    def handle(
        self, *args, file, event_slug, dry_run, strict=False, zone=None, release=True, **options
    ):
        limits = limits_from_options(options)
        file, url = file_or_url(file, options)
        source = file or url

        def attempt(path):
            return self.run_import(
                path=path, event_slug=event_slug, dry_run=dry_run, limits=limits, zone=zone
            )

        def attempt_and_release(path):
            # One transaction: attendees never see a loaded schedule without its release.
            with transaction.atomic():
                if strict:
                    result = import_strictly(lambda: attempt(path), source=source)
                else:
                    result = attempt(path)
                if release and not dry_run:
                    event = Event.objects.get(slug=event_slug)
                    result.release_note = release_after_load(event=event)
            return result

        try:
            with read_from(file, url, limits=limits, timeout=options["timeout"]) as path:
                result = attempt_and_release(path)
        except FetchError as error:
            raise CommandError(
                f"cannot read {error}; nothing was imported.", returncode=1
            ) from None
        except WarningsRefused as refusal:
            for message in refusal.messages():
                self.stderr.write(message)
            raise CommandError(strict_refusal_line(source, refusal), returncode=1) from None
        except self.error_types as error:
            for message in error.messages():
                self.stderr.write(message)
            raise CommandError(refusal_line(source, error), returncode=1) from None
        except OSError as error:
            raise CommandError(
                f"cannot read {file or url}: {error.strerror}", returncode=1
            ) from None

        if options["verbosity"] >= 1:
            write_result(self, result, verbosity=options["verbosity"])

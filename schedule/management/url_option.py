"""The import commands' ``--url URL [--timeout SECONDS]``: a published schedule instead of FILE."""

import argparse
import contextlib

from django.core.management.base import CommandError

from schedule.importing.fetch import DEFAULT_TIMEOUT_SECONDS, fetched_file


def add_url_arguments(parser):
    """``--url`` and ``--timeout``: read the schedule as an old site publishes it."""
    parser.add_argument(
        "--url",
        metavar="URL",
        help="Read the file from this http(s) address instead of FILE (run it again to sync).",
    )
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"How long --url may take in all (default: {DEFAULT_TIMEOUT_SECONDS}).",
    )


def positive_seconds(text):
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above zero, not {text!r}")
    return seconds


def file_or_url(file, options):
    """``(file, url)``, exactly one of them given."""
    url = options.get("url")
    if bool(file) == bool(url):
        raise CommandError("give either FILE or --url URL", returncode=1)
    return file, url


def read_from(file, url, *, limits, timeout):
    """A context giving the path to import: ``file`` itself, or the download of ``url``."""
    if url:
        return fetched_file(url, max_bytes=limits.max_file_size, timeout=timeout)
    return contextlib.nullcontext(file)

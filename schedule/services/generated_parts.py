"""What apps above the schedule add to a generated event: ``generate_event --<part> N``.

The schedule imports no app above it (docs/architecture.md), yet a generated
event is more useful with, say, a call full of proposals. So an app that can
generate rows of its own for an event registers a part here, in its
``AppConfig.ready()``: the command offers the part's option and, when it is
given, calls the part's function with the new event in the command's one
transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class GeneratedPart:
    """One option of ``generate_event`` that another app fills.

    ``generate(event=, count=, seed=)`` makes ``count`` rows for the freshly
    generated ``event`` (the same ``seed`` gives the same rows) and returns one
    sentence for the command's summary.
    """

    name: str  # the option is --<name>, taking a count
    help: str
    generate: Callable[..., str]

    @property
    def dest(self):
        return self.name.replace("-", "_")


_parts: dict[str, GeneratedPart] = {}


def register(part):
    if part.name in _parts:
        raise ImproperlyConfigured(f"generate_event has a --{part.name} part already.")
    _parts[part.name] = part


def registered_parts():
    """The registered parts, in the order their apps registered them (INSTALLED_APPS)."""
    return tuple(_parts.values())

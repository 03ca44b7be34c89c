"""What an event's backup holds: the sections the apps register, one per model they own.

The backup knows no model. Each app registers, in its ``ready()``, a
:class:`Section` for every model of an event's backup that it owns: which
rows of the event it holds, how their relations are written (by natural key)
and how the rows are made again on a restore. Sections are written to
``data.json`` and restored in the order they are registered, which follows
``INSTALLED_APPS`` (lower layers first); a section names the parts it needs
restored before it (``after``), and registering it before them fails at start.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

EVENT = "event"  # the part holding the event itself, one record, registered first


@dataclass(frozen=True)
class Section:
    """One part of ``data.json``: the rows of one model, as the app that owns it keeps them.

    - ``rows(event, dumped)``: the rows of ``event`` to write, in the archive's
      order; ``dumped`` holds the rows of the sections written before, by part.
    - ``keys(row)``: the row's relations as natural keys (a slug, a UUID).
    - ``restore(restore)``: makes the part's rows again from
      ``restore.data[part]`` with the helpers of ``rows.Restore``, leaves in
      ``restore.made`` what later sections look up, and returns the rows whose
      ``files`` the restore writes.
    - ``files``: file fields whose files go into the archive (``photos/``);
      ``file_problem(payload)`` says why a file's bytes are refused, or None.
    - ``extra_keys``: what ``keys(row)`` writes besides the model's relations
      (the release of a released talk's speaker), which a record may hold.
    - ``since``: the format version that added the part; an archive older than
      that lacks it, and its restore finds no ``restore.data[part]``.
    """

    part: str
    model: type
    rows: Callable
    restore: Callable
    keys: Callable = lambda row: {}
    relations: frozenset = frozenset()  # every relation of the model; a new one stops backups
    after: tuple = ()
    files: tuple = ()
    file_problem: Callable = lambda payload: None
    extra_keys: frozenset = frozenset()
    since: int = 1


_sections = {}


def register(section):
    """Add ``section`` to every backup from now on (a part registered again is replaced)."""
    if not _sections and section.part != EVENT:
        raise ImproperlyConfigured(f"The backup's {EVENT} section comes first, not {section.part}.")
    if missing := [part for part in section.after if part not in _sections]:
        raise ImproperlyConfigured(
            f"The backup section {section.part} needs {', '.join(missing)} registered first "
            "(the app that owns them comes earlier in INSTALLED_APPS)."
        )
    _sections[section.part] = section


def sections():
    """Every section in the order written and restored, the event's first."""
    if EVENT not in _sections:
        raise ImproperlyConfigured("No app registered the backup's event section.")
    return list(_sections.values())


def event_section():
    return sections()[0]


def parts():
    """The sections besides the event's."""
    return [section for section in sections() if section.part != EVENT]


def app_labels():
    """The apps whose rows a backup holds, whose migrations its manifest lists."""
    return sorted({section.model._meta.app_label for section in sections()})

"""The pipeline every importer (2012 agenda, frab XML, iCalendar) runs, one piece per module.

A format's parser turns a file into plain data; its importer hands the rows
to this pipeline, which checks them all and writes them in bulk:

- ``errors``: :class:`ImportFileError`, every problem of a file with its ``FILE:LINE``,
  and ``let_through_by``, which marks a problem an option of the commands would let through.
- ``limits``: :class:`ImportLimits` (file size, talks, text length), ``read_limited``, ``excerpt``.
- ``names``: ``name_key`` (how names are matched) and ``tidy_text``; slugs are
  numbered by ``infrastructure.slugs.UniqueSlugs``.
- ``zones``: ``zone_named``, the venue's zone by its IANA name; ``fixed_offset_advice``
  and ``zones_fitting``, a real zone for an ``Etc/GMT±N`` offset.
- ``people``: ``person_keys``, which of a person's guid, id or name tells the
  people of a file apart (format-neutral: the frab XML and JSON readers' records).
- ``results``: :class:`ImportResult` (counts, warnings, ``summary()``, the report's
  ``closing_line()``) and ``Outcome``.
- ``writer``: validation in Python (``row_errors``, ``unique_errors``), ``event_sync``,
  ``NewSpeakers``, ``talks_write`` and the other bulk writes, ``import_pages_changed``.
- ``clashes``: ``clash_warnings``, the step every import ends with, and
  ``add_clash_warnings``, which reports them as about the schedule, not the file.
- ``strict``: ``import_strictly``, ``--strict``: a file with a warning is refused whole.
- ``retry``: ``import_with_one_retry``, for two imports creating one event at once.

This package's ``__init__`` imports none of them: the parsers use ``errors``,
``limits``, ``names`` and ``zones``, which need no database, and importing a
submodule runs its package's ``__init__`` first.
"""

"""What an import did: one result type for every importer, and its report."""

import enum
from dataclasses import dataclass, field


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


ALL_OUTCOMES = (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED)


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would do): the event's outcome, counts, warnings.

    ``parts`` names the kinds of row the importer writes, in the order its
    summary lists them, each with the outcomes it reports.
    ``grouped_warnings`` maps a one-line summary to warnings of one kind that
    are also in ``warnings``: a command prints the summary instead of them
    unless asked for detail.

    A warning says the file was readable and the importer settled something
    (a zone, a skipped event, a person matched by name): every warning a
    parser or importer adds to ``warnings`` is about the file, and
    ``--strict`` refuses the file for it. The schedule's clashes after the
    import are warnings too, but about the schedule, not the file: they are
    also in ``schedule_warnings`` (``add_schedule_warnings``), are reported,
    and refuse nothing.
    """

    event_slug: str
    event_outcome: Outcome
    dry_run: bool
    parts: dict[str, tuple[Outcome, ...]]
    time_zone: str = ""  # shown in the summary when the importer decides it
    rooms_created: int = 0
    rooms_updated: int = 0
    rooms_unchanged: int = 0
    tracks_created: int = 0
    tracks_updated: int = 0
    tracks_unchanged: int = 0
    talks_created: int = 0
    talks_updated: int = 0
    talks_unchanged: int = 0
    talks_skipped: int = 0
    speakers_created: int = 0
    speakers_updated: int = 0
    speakers_unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    grouped_warnings: dict[str, list[str]] = field(default_factory=dict)
    schedule_warnings: list[str] = field(default_factory=list)
    #: The clashes ``schedule_warnings`` list, and whether the schedule has more.
    clashes: int = 0
    more_clashes: bool = False
    #: What became of the release the command made after the import (``Released as “2”.``).
    release_note: str = ""

    def add_schedule_warnings(self, warnings, *, clashes, more=False):
        """Report ``warnings`` about the schedule after the import: ``clashes`` of them, or more."""
        self.warnings.extend(warnings)
        self.schedule_warnings.extend(warnings)
        self.clashes += clashes
        self.more_clashes = self.more_clashes or more

    @property
    def file_warnings(self):
        """The warnings about the file (all but the schedule's): what ``--strict`` refuses."""
        about_schedule = set(self.schedule_warnings)
        return [warning for warning in self.warnings if warning not in about_schedule]

    def count(self, part, outcome):
        name = f"{part}_{outcome}"
        setattr(self, name, getattr(self, name) + 1)

    @property
    def changed(self):
        return self.event_outcome != Outcome.UNCHANGED or any(
            getattr(self, f"{part}_{outcome}")
            for part in self.parts
            for outcome in (Outcome.CREATED, Outcome.UPDATED)
        )

    def summary(self):
        zone = f" ({self.time_zone})" if self.time_zone else ""
        counts = []
        for part, outcomes in self.parts.items():
            told = [f"{getattr(self, f'{part}_{outcome}')} {outcome}" for outcome in outcomes]
            if part == "talks" and self.talks_skipped:
                told.append(f"{self.talks_skipped} skipped")
            counts.append(f"{part.title()}: {', '.join(told)}.")
        return f"Event {self.event_slug}{zone}: {self.event_outcome}. {' '.join(counts)}"

    def warnings_to_print(self, *, detail):
        """The warnings as a command prints them: a group as its summary unless ``detail``."""
        if detail:
            return list(self.warnings)
        summarised = {}
        for summary, group in self.grouped_warnings.items():
            if len(group) > 1:
                summarised |= dict.fromkeys(group, summary)
        printed, said = [], set()
        for warning in self.warnings:
            summary = summarised.get(warning)
            if summary is None:
                printed.append(warning)
            elif summary not in said:
                said.add(summary)
                printed.append(summary)
        return printed

    def closing_line(self, *, detail):
        """The report's last line: what was imported, into which event, with how many warnings.

        ``detail`` is whether every warning was printed (``-v 2``); when some
        were printed as one line for a group, the line says how to see each.
        It ends with ``release_note`` when the import was released.
        """
        told = f"{self._counts_told()} into {self.event_slug}"
        warnings = f"{self._warnings_told()}{self._where_to_see_them(detail=detail)}"
        if self.dry_run:
            return f"Dry run: would import {told} with {warnings}."
        release = f" {self.release_note}" if self.release_note else ""
        if not self.changed:
            return (
                f"Nothing changed: {self.event_slug} already had the file's "
                f"{self._counts_told()}; {warnings}.{release}"
            )
        return f"Imported {told} with {warnings}.{release}"

    def _counts_told(self):
        """``34 talks (1 skipped), 2 rooms, 30 speakers``: what the file brought, part by part.

        Talks come first, then the other parts in the summary's order; a part
        of which the file had none is left out, unless it is the talks.
        """
        told = []
        for part in sorted(self.parts, key=lambda part: part != "talks"):
            count = sum(getattr(self, f"{part}_{outcome}") for outcome in ALL_OUTCOMES)
            if count or part == "talks":
                text = counted(count, part.removesuffix("s"))
                if part == "talks" and self.talks_skipped:
                    text += f" ({self.talks_skipped} skipped)"
                told.append(text)
        return ", ".join(told)

    def _warnings_told(self):
        warnings = len(self.file_warnings)
        told = counted(warnings, "warning") if warnings else "no warnings"
        if self.clashes or self.more_clashes:
            clashes = (
                f"more than {self.clashes} clashes"
                if self.more_clashes
                else counted(self.clashes, "clash", plural="clashes")
            )
            told += f" and {clashes} in the schedule"
        return told

    def _where_to_see_them(self, *, detail):
        if not self.warnings:
            return ""
        if not detail and any(len(group) > 1 for group in self.grouped_warnings.values()):
            return " (run with -v 2 to see each)"
        return " (see above)"


def counted(number, thing, *, plural=None):
    """``1 talk``, ``34 talks``."""
    return f"{number:,} {thing if number == 1 else plural or thing + 's'}"

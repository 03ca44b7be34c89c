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

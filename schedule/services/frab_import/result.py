"""What a frab import did: counts per part, the event's outcome and the warnings."""

from dataclasses import dataclass, field

from schedule.services.importing import Outcome

PARTS = ("rooms", "tracks", "talks", "speakers")


@dataclass
class FrabImportResult:
    """What an import did (or, on a dry run, would do)."""

    event_slug: str
    event_outcome: Outcome
    time_zone: str
    dry_run: bool
    rooms_created: int = 0
    rooms_updated: int = 0
    rooms_unchanged: int = 0
    tracks_created: int = 0
    tracks_updated: int = 0
    tracks_unchanged: int = 0
    talks_created: int = 0
    talks_updated: int = 0
    talks_unchanged: int = 0
    speakers_created: int = 0
    speakers_updated: int = 0
    speakers_unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def count(self, part, outcome):
        name = f"{part}_{outcome}"
        setattr(self, name, getattr(self, name) + 1)

    @property
    def changed(self):
        return self.event_outcome != Outcome.UNCHANGED or any(
            getattr(self, f"{part}_{outcome}")
            for part in PARTS
            for outcome in (Outcome.CREATED, Outcome.UPDATED)
        )

    def summary(self):
        counts = " ".join(
            f"{part.title()}: {getattr(self, f'{part}_created')} created, "
            f"{getattr(self, f'{part}_updated')} updated, "
            f"{getattr(self, f'{part}_unchanged')} unchanged."
            for part in PARTS
        )
        return f"Event {self.event_slug} ({self.time_zone}): {self.event_outcome}. {counts}"

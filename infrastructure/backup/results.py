"""What a backup or a restore did, for the commands to report."""

from dataclasses import dataclass, field
from pathlib import Path


def _counted(counts):
    """``{"talks": 1, "talk_speakers": 2}`` as “1 talk, 2 talk speakers”."""
    return ", ".join(_number(count, part.replace("_", " ")) for part, count in counts.items())


def _number(count, plural):
    return f"{count} {plural.removesuffix('s') if count == 1 else plural}"


@dataclass
class BackupResult:
    path: Path
    event_slug: str
    counts: dict
    missing_photos: list = field(default_factory=list)

    def summary(self):
        return f"Backed up {self.event_slug} to {self.path}: {_counted(self.counts)}."


@dataclass
class RestoreResult:
    """What a restore did (or, on a dry run, would do)."""

    event_slug: str
    dry_run: bool
    replaced: bool = False
    counts: dict = field(default_factory=dict)  # rows created (and photos written), by part
    speakers_reused: int = 0
    warnings: list = field(default_factory=list)
    changed = True  # a restore always writes the event anew

    def summary(self):
        action = "replaced" if self.replaced else "restored"
        return (
            f"Event {self.event_slug} {action}: {_counted(self.counts)}; "
            f"{_number(self.speakers_reused, 'speakers')} already here reused."
        )

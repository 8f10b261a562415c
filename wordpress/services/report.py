"""The report a run returns: counts per kind and outcome, skips with reasons, notes."""

from collections import Counter
from dataclasses import dataclass, field


class ImportFailed(Exception):
    """The run stopped before writing anything (or rolled back); the message says why."""


@dataclass
class ImportReport:
    dry_run: bool
    site: str = ""
    counts: dict[str, Counter] = field(default_factory=dict)
    skipped: dict[str, Counter] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    KINDS = ("authors", "categories", "tags", "attachments", "posts", "pages", "comments",
             "redirects")  # fmt: skip

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += n

    def skip(self, kind: str, reason: str, n: int = 1) -> None:
        self.skipped.setdefault(kind, Counter())[reason] += n

    def note(self, line: str) -> None:
        self.notes.append(line)

    def lines(self, *, max_notes: int | None = 50) -> list[str]:
        lines = [self.site] if self.site else []
        for kind in self.KINDS:
            counts = self.counts.get(kind, Counter())
            skipped = self.skipped.get(kind, Counter())
            if not counts and not skipped:
                continue
            parts = [f"{counts[o]} {o}" for o in ("created", "updated", "unchanged") if counts[o]]
            parts += [f"{n} {o}" for o, n in counts.items() if o not in {"created", "updated",
                      "unchanged"}]  # fmt: skip
            if skipped:
                reasons = "; ".join(f"{n} {reason}" for reason, n in skipped.most_common())
                parts.append(f"{sum(skipped.values())} skipped ({reasons})")
            lines.append(f"{kind}: {', '.join(parts) or 'none'}")
        notes = self.notes if max_notes is None else self.notes[:max_notes]
        lines += [f"  {note}" for note in notes]
        if len(notes) < len(self.notes):
            lines.append(f"  … and {len(self.notes) - len(notes)} more (--verbosity 2 lists all)")
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return lines

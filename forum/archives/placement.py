"""Where each imported post hangs: parents found by external id, orphans and cycles dealt with."""

from dataclasses import dataclass

ORPHAN_POLICIES = ("skip", "attach")
CYCLE_IDS_SHOWN = 5  # enough to find the cycle in the archive, short enough for a summary


@dataclass(frozen=True)
class Skipped:
    external_id: str  # or, where the archive gave none, where it is: "line 147"
    reason: str
    # or "discussion", "report", "ban" (our JSON's history): only posts count towards an
    # archive's comments
    kind: str = "post"


def place_posts(parents, *, stored, orphans="skip"):
    """Map new posts to the parent each can hang from (None: top level) and list the rest.

    parents maps each new post's external id to its parent's (or None), in stream order;
    stored holds the external ids of posts already in the thread, which new posts may answer.
    With orphans="attach", a post whose parent is missing goes to the top level, and so does
    the first post (in stream order) of a reply cycle; with "skip" they are left out, and so is
    everything below them.
    """
    if orphans not in ORPHAN_POLICIES:
        raise ValueError(f"orphans must be one of {ORPHAN_POLICIES}, not {orphans!r}")
    stream_order = {external_id: index for index, external_id in enumerate(parents)}
    placed, skipped = {}, {}
    for start in parents:
        # Climb until a post whose place is known, a top-level or stored parent, a missing
        # parent, or a post already on the way up (a cycle); then settle the way back down.
        path, on_path, current = [], set(), start
        while current in parents and current not in placed and current not in skipped:
            if current in on_path:
                cycle = path[path.index(current) :]
                del path[path.index(current) :]
                _settle_cycle(cycle, parents, stream_order, orphans, placed, skipped)
                break
            path.append(current)
            on_path.add(current)
            current = parents[current]
        for external_id in reversed(path):
            _settle(external_id, parents[external_id], stored, orphans, placed, skipped)
    ordered_skips = sorted(skipped.items(), key=lambda item: stream_order[item[0]])
    return placed, [Skipped(external_id, reason) for external_id, reason in ordered_skips]


def _settle(external_id, parent, stored, orphans, placed, skipped):
    if parent is None or parent in stored or parent in placed:
        placed[external_id] = parent
    elif parent in skipped:
        skipped[external_id] = f"its parent {parent} was skipped"
    elif orphans == "attach":
        placed[external_id] = None
    else:
        skipped[external_id] = f"its parent {parent} is not in the discussion"


def _settle_cycle(cycle, parents, stream_order, orphans, placed, skipped):
    if orphans == "attach":
        first = min(cycle, key=stream_order.__getitem__)
        for external_id in cycle:
            placed[external_id] = None if external_id == first else parents[external_id]
        return
    closing = "…" if len(cycle) > CYCLE_IDS_SHOWN else cycle[0]
    shown = " → ".join([*cycle[:CYCLE_IDS_SHOWN], closing])
    for external_id in cycle:
        skipped[external_id] = f"its replies form a cycle: {shown}"

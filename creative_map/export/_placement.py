"""Where the print map's markers and labels go: boxes in display space, markers grouped, labels placed.

Pure geometry in display pixels (numpy, shapely), no matplotlib: `creative_map.export.printmap` measures the
texts and transforms the points, this module decides. A box is ``(x0, y0, x1, y1)``.

- `group_markers`: spaces whose dots would touch share one marker (all their numbers beside it); a group's
  marker sits at the mean of its members.
- `place_labels`: each marker's label goes in one of its `candidates` (touching the marker on its right, left,
  above, below or a corner; a little further out; or, dearest, standing off with a leader line), clear of
  every marker, label, leader and obstacle, inside the frame. The marker with the fewest free places left
  chooses first, and takes the place that leaves the most room to the others. A marker left without a place
  is reported; the caller then joins the two closest markers near it (`merge_nearest`) and places again, so
  every number ends on the map.
- `Obstacles` and `first_free`: what is already drawn, and the first free of some boxes (unit names, scale
  bar, north arrow).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

__all__ = [
    "Candidate",
    "Marker",
    "Obstacles",
    "boxes_hit",
    "candidates",
    "first_free",
    "group_markers",
    "inside",
    "merge_nearest",
    "place_labels",
]

Box = tuple[float, float, float, float]
Boxes = NDArray[np.float64]


def boxes_hit(boxes: Boxes, box: Box, margin: float = 0.0) -> NDArray[np.bool_]:
    """Return, for each of `boxes`, whether it overlaps `box` grown by `margin` on every side."""
    if not len(boxes):
        return np.zeros(0, dtype=bool)
    x0, y0, x1, y1 = box
    return (
        (boxes[:, 0] < x1 + margin)
        & (boxes[:, 2] > x0 - margin)
        & (boxes[:, 1] < y1 + margin)
        & (boxes[:, 3] > y0 - margin)
    )


def inside(box: Box, frame: Box, margin: float) -> bool:
    """Return whether `box` lies within `frame` at least `margin` from each of its edges."""
    return (
        box[0] >= frame[0] + margin
        and box[1] >= frame[1] + margin
        and box[2] <= frame[2] - margin
        and box[3] <= frame[3] - margin
    )


class Obstacles:
    """Boxes that nothing placed later may overlap (dots, labels, the scale bar, an inset's frame)."""

    def __init__(self, boxes: Sequence[Box] = ()) -> None:
        self._boxes: list[Box] = list(boxes)
        self._array: Boxes | None = None

    def add(self, box: Box) -> None:
        """Add `box`."""
        self._boxes.append(box)
        self._array = None

    def extend(self, boxes: Sequence[Box]) -> None:
        """Add every box of `boxes`."""
        self._boxes.extend(boxes)
        self._array = None

    @property
    def array(self) -> Boxes:
        """The boxes as an ``(n, 4)`` array."""
        if self._array is None:
            self._array = np.array(self._boxes, dtype=float).reshape(-1, 4)
        return self._array

    def free(self, box: Box, margin: float) -> bool:
        """Return whether `box`, grown by `margin`, overlaps no obstacle."""
        return not bool(boxes_hit(self.array, box, margin).any())

    def count(self, box: Box, margin: float) -> int:
        """Return how many obstacles `box`, grown by `margin`, overlaps."""
        return int(boxes_hit(self.array, box, margin).sum())


def first_free(candidates: Sequence[Box], obstacles: Obstacles, frame: Box, *, margin: float) -> int | None:
    """Return the index of the first candidate inside `frame` that overlaps no obstacle, or None."""
    for i, box in enumerate(candidates):
        if inside(box, frame, margin) and obstacles.free(box, margin):
            return i
    return None


@dataclass(frozen=True)
class Marker:
    """One marker on a map: the spaces it stands for (indices into the panel's points), where, how big."""

    members: tuple[int, ...]
    x: float
    y: float
    radius: float
    """Half the marker's width in pixels, its edge included."""

    @property
    def box(self) -> Box:
        """The marker's box in pixels."""
        return (self.x - self.radius, self.y - self.radius, self.x + self.radius, self.y + self.radius)


def _markers(points: NDArray[np.float64], groups: list[list[int]], radius: Callable[[int], float]) -> list[Marker]:
    out = []
    for members in groups:
        centre = points[members].mean(axis=0)
        out.append(Marker(tuple(members), float(centre[0]), float(centre[1]), radius(len(members))))
    return out


def _union(groups: list[list[int]], pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Return `groups` with the groups of each pair of group indices joined, in the order of their first
    member."""
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    joined: dict[int, list[int]] = {}
    for i, members in enumerate(groups):
        joined.setdefault(root(i), []).extend(members)
    return sorted((sorted(m) for m in joined.values()), key=lambda m: m[0])


def group_markers(
    points: NDArray[np.float64],
    radius: Callable[[int], float],
    *,
    gap: float,
    groups: list[list[int]] | None = None,
) -> list[Marker]:
    """Return the markers of `points` (pixels): points whose markers would touch share one, until none touch.

    Parameters
    ----------
    points
        ``(n, 2)`` pixel positions.
    radius
        A marker's radius in pixels from the number of points it stands for.
    gap
        The least free space between two markers, pixels.
    groups
        Groups to start from (lists of point indices); default: one point each.
    """
    current = [list(g) for g in groups] if groups is not None else [[i] for i in range(len(points))]
    while True:
        markers = _markers(points, current, radius)
        if len(markers) < 2:
            return markers
        xy = np.array([(m.x, m.y) for m in markers])
        r = np.array([m.radius for m in markers])
        dist = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
        touch = np.argwhere(np.triu(dist < r[:, None] + r[None, :] + gap, k=1))
        if not len(touch):
            return markers
        current = _union(current, [(int(a), int(b)) for a, b in touch])


def merge_nearest(
    markers: Sequence[Marker],
    lost: Sequence[int],
    points: NDArray[np.float64],
    radius: Callable[[int], float],
    allowed: Callable[[Box], bool],
    *,
    reach: float,
) -> list[list[int]] | None:
    """Return the groups of `markers` with, near each marker in `lost`, the two closest markers joined; None when
    no two can be joined.

    Near: within `reach` pixels of the lost marker (itself included), so room is made where it is missing by
    joining the spaces that are closest anyway, rather than by growing one group ever larger. The joined marker
    sits at the mean of the members' `points`; a pair is passed over when that marker would not be `allowed`
    there (on an obstacle, out of the frame), for the next closest.
    """
    groups = [list(m.members) for m in markers]
    if len(markers) < 2:
        return None
    xy = np.array([(m.x, m.y) for m in markers])
    used: set[int] = set()
    pairs = []
    for i in lost:
        near = [j for j in np.flatnonzero(np.hypot(*(xy - xy[i]).T) <= reach).tolist() if j not in used]
        if i not in near:
            continue
        options = sorted((float(np.hypot(*(xy[a] - xy[b]))), a, b) for k, a in enumerate(near) for b in near[k + 1 :])
        if not options:
            dist = np.hypot(*(xy - xy[i]).T)
            dist[i] = np.inf
            dist[list(used)] = np.inf
            options = [(float(dist[j]), min(i, j), max(i, j)) for j in np.argsort(dist, kind="stable")[:8].tolist()]
        for d, a, b in options:
            if not np.isfinite(d):
                continue
            members = groups[a] + groups[b]
            x, y = points[members].mean(axis=0)
            r = radius(len(members))
            if allowed((float(x) - r, float(y) - r, float(x) + r, float(y) + r)):
                pairs.append((a, b))
                used.update((a, b))
                break
    return _union(groups, pairs) if pairs else None


@dataclass(frozen=True)
class Candidate:
    """A place for a marker's label: its box, what it costs (lower is better), and the leader line from the
    marker to it when it stands off (pixels, from the marker's edge to the box's nearest point)."""

    box: Box
    cost: float
    leader: tuple[float, float, float, float] | None = None


NEAR: tuple[tuple[float, float], ...] = (
    (1, 0),
    (-1, 0),
    (1, 0.5),
    (1, -0.5),
    (-1, 0.5),
    (-1, -0.5),
    (0, 1),
    (0, -1),
    (1, 1),
    (-1, 1),
    (1, -1),
    (-1, -1),
)
"""Where a label touches its marker, by preference: right, left, right raised and lowered, left raised and
lowered, above, below, the corners (in marker radii plus label half-sizes; 0.5 shifts by half a line)."""
FAR_STEPS: tuple[float, ...] = (1.2, 2.4, 3.6)
"""How far (in label heights) a label with a leader line may stand off its marker."""


def candidates(marker: Marker, width: float, height: float, gap: float) -> list[Candidate]:
    """Return where a `width` x `height` label may go around `marker`, best first.

    Touching the marker (`gap` from it) so that it reads as the marker's; then the same ring half a line
    further out, dearer; then, dearest, standing off in eight directions with a thin leader line to the marker
    (a callout, where the marker is hemmed in by others).
    """
    x, y, r = marker.x, marker.y, marker.radius
    out = []
    for ring, extra in enumerate((0.0, height * 0.5)):
        for k, (ux, uy) in enumerate(NEAR):
            cx = ux * (r + gap + extra + width / 2) if ux else 0.0
            cy = (uy * (r + gap + extra + height / 2) if ux == 0 or abs(uy) == 1 else uy * height) if uy else 0.0
            box = (x + cx - width / 2, y + cy - height / 2, x + cx + width / 2, y + cy + height / 2)
            out.append(Candidate(box, ring * 0.6 + k * 0.01))
    for level, step in enumerate(FAR_STEPS):
        for k in range(8):
            angle = math.radians(45 * k)
            ux, uy = math.cos(angle), math.sin(angle)
            cx = x + ux * (r + gap + step * height + width / 2)
            cy = y + uy * (r + gap + step * height + height / 2)
            box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
            # From the marker's edge to the nearest point of the box.
            ex, ey = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
            length = math.hypot(ex - x, ey - y)
            if length <= r + gap:
                continue
            sx, sy = x + (ex - x) * (r + gap / 2) / length, y + (ey - y) * (r + gap / 2) / length
            out.append(Candidate(box, 2.0 + 0.5 * level + k * 0.01, (sx, sy, ex, ey)))
    return out


def _box_shapes(boxes: Boxes, grow: float = 0.0) -> NDArray[np.object_]:
    return np.asarray(
        shapely.box(boxes[:, 0] - grow, boxes[:, 1] - grow, boxes[:, 2] + grow, boxes[:, 3] + grow), dtype=object
    )


def _hits(tree_shapes: NDArray[np.object_], query: NDArray[np.object_]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the pairs (i in `query`, j in `tree_shapes`) that intersect."""
    if not len(tree_shapes) or not len(query):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    i, j = shapely.STRtree(tree_shapes).query(query, predicate="intersects")
    return i.astype(np.int64), j.astype(np.int64)


def place_labels(
    markers: Sequence[Marker],
    sizes: Sequence[tuple[float, float]],
    obstacles: Obstacles,
    frame: Box,
    *,
    gap: float,
    margin: float,
    frame_margin: float,
) -> tuple[list[Candidate | None], list[int]]:
    """Place one label beside each marker, clear of every marker, label, leader and obstacle, inside `frame`.

    Greedy with a look ahead: the marker with the fewest free places left chooses first, and takes the place
    that leaves the most room to the others (its cost, `candidates`, breaks ties).

    Parameters
    ----------
    markers
        The markers (their boxes are obstacles to every label).
    sizes
        Each marker's label (width, height), pixels.
    obstacles
        What labels must also avoid (left unchanged).
    frame
        The map's box: labels stay `frame_margin` inside it.
    gap
        Between a label and its own marker, pixels.
    margin
        The least free space between a label and anything else, pixels.
    frame_margin
        The least free space between a label and the frame, pixels.

    Returns
    -------
    tuple
        Each marker's label (None where none fits), and the indices of the markers without one.
    """
    n = len(markers)
    owner_list: list[int] = []
    cands: list[Candidate] = []
    for i, (marker, (width, height)) in enumerate(zip(markers, sizes, strict=True)):
        for c in candidates(marker, width, height, gap):
            if inside(c.box, frame, frame_margin):
                owner_list.append(i)
                cands.append(c)
    owner = np.array(owner_list, dtype=np.int64)
    boxes = np.array([c.box for c in cands], dtype=float).reshape(-1, 4)
    leader_at = np.array([k for k, c in enumerate(cands) if c.leader is not None], dtype=np.int64)
    lines = np.array([cands[k].leader for k in leader_at], dtype=float).reshape(-1, 2, 2)
    # Fixed things first: every marker (but a label's own, which its candidates clear by `gap`) and the
    # obstacles; what they rule out is dropped before the candidates are weighed against each other.
    grown = _box_shapes(boxes, margin)
    leaders = np.asarray(shapely.linestrings(lines), dtype=object) if len(lines) else np.zeros(0, dtype=object)
    alive = np.ones(len(cands), dtype=bool)
    dots = _box_shapes(np.array([m.box for m in markers], dtype=float).reshape(-1, 4))
    ia, jb = _hits(dots, grown)
    alive[ia[owner[ia] != jb]] = False
    ia, jb = _hits(dots, leaders)
    alive[leader_at[ia[owner[leader_at[ia]] != jb]]] = False
    fixed = _box_shapes(obstacles.array, margin)
    alive[_hits(fixed, grown)[0]] = False
    alive[leader_at[_hits(fixed, leaders)[0]]] = False
    keep = np.flatnonzero(alive)
    cands = [cands[k] for k in keep]
    owner, boxes = owner[keep], boxes[keep]
    cost = np.array([c.cost for c in cands], dtype=float)
    renumber = np.full(len(alive), -1, dtype=np.int64)
    renumber[keep] = np.arange(len(keep))
    leader_at = renumber[leader_at]
    leader_ok = leader_at >= 0
    leader_at, leaders = leader_at[leader_ok], leaders[leader_ok]
    # Which candidates exclude each other: labels that would overlap, a leader across a label, crossing leaders.
    shapes, grown = _box_shapes(boxes), _box_shapes(boxes, margin)
    pairs = [_hits(shapes, grown)]
    ia, jb = _hits(grown, leaders)
    pairs.append((leader_at[ia], jb))
    ia, jb = _hits(leaders, leaders)
    pairs.append((leader_at[ia], leader_at[jb]))
    a = np.concatenate([p[0] for p in pairs] + [p[1] for p in pairs])
    b = np.concatenate([p[1] for p in pairs] + [p[0] for p in pairs])
    other = owner[a] != owner[b]
    a, b = a[other], b[other]
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    bounds = np.searchsorted(a, np.arange(len(cands) + 1))
    # Candidates come grouped by marker, in the markers' order.
    first = np.searchsorted(owner, np.arange(n + 1))
    alive = np.ones(len(cands), dtype=bool)
    todo = np.ones(n, dtype=bool)
    rank = np.array([m.members[0] for m in markers], dtype=float)
    placed: list[Candidate | None] = [None] * n
    lost = []
    for _ in range(n):
        left = np.bincount(owner[alive], minlength=n).astype(float)
        key = np.where(todo, left * (len(rank) + rank.max(initial=0) + 1) + rank, np.inf)
        i = int(np.argmin(key))
        todo[i] = False
        mine = [k for k in range(first[i], first[i + 1]) if alive[k]]
        if not mine:
            lost.append(i)
            continue

        # What a place takes from the others: each place it rules out, weighed by how few its marker has left.
        def taken(k: int, left: NDArray[np.float64] = left) -> float:
            js = b[bounds[k] : bounds[k + 1]]
            js = js[alive[js] & todo[owner[js]]]
            return float((1.0 / left[owner[js]]).sum())

        k = min(mine, key=lambda k: (taken(k) + cost[k], k))
        placed[i] = cands[k]
        alive[first[i] : first[i + 1]] = False
        alive[b[bounds[k] : bounds[k + 1]]] = False
    return placed, sorted(lost)

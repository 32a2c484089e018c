"""Lays out the governance structure of a date as a picture (boxes and arrows).

Rows from top to bottom: national bodies, provincial bodies, the housing regions' tables with
the regional bodies between them, the coordination office(s), and the municipalities grouped by
housing region. Everything drawn comes from the registry; nothing is fixed here but geometry.
"""

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from .constants import BodyLevel
from .selectors import Structure

BOX_W, BOX_H = 210, 58
MUN_W, MUN_H = 132, 26
MUN_GAP_X, MUN_GAP_Y = 8, 8
ROW_GAP = 70
MARGIN = 24
GROUP_PAD = 12
GROUP_HEADER = 24
MIN_GAP = 110  # between boxes in one row, room for a label on the line


@dataclass(frozen=True)
class Box:
    code: str
    kind: str  # "body", "organisation" or "municipality"
    label: str
    sublabel: str
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    kind: str
    both_ways: bool

    @property
    def mx(self) -> float:
        return (self.x1 + self.x2) / 2

    @property
    def my(self) -> float:
        return (self.y1 + self.y2) / 2


@dataclass
class Diagram:
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    groups: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def _spread(count: int, centre: float, width: float, gap: float = 40) -> list[float]:
    total = count * width + (count - 1) * gap
    start = centre - total / 2
    return [start + i * (width + gap) for i in range(count)]


def _anchor(a: Box, b: Box) -> tuple[float, float, float, float]:
    """Points on the borders of a and b where a straight line between their centres leaves them."""
    if abs(a.cy - b.cy) < 1:  # same row: side to side
        if a.cx < b.cx:
            return a.x + a.w, a.cy, b.x, b.cy
        return a.x, a.cy, b.x + b.w, b.cy
    if a.cy < b.cy:
        return a.cx, a.y + a.h, b.cx, b.y
    return a.cx, a.y, b.cx, b.y + b.h


def structure_diagram(structure: Structure) -> Diagram:
    bodies = {b.code: b for b in structure.bodies}
    by_level: dict[str, list[str]] = defaultdict(list)
    for body in structure.bodies:
        by_level[body.level].append(body.code)

    # Municipalities grouped by housing region, in the order of the regions' tables.
    groups: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    region_names: dict[str, str] = {}
    for m in structure.municipalities:
        key = m.cooperation_region_code or ""
        groups[key].append(m.cbs_code)
        names[m.cbs_code] = m.name
        if m.cooperation_region_code:
            region_names[m.cooperation_region_code] = m.cooperation_region or ""
    table_for_region = {
        bodies[c].organisation_code: c
        for c in by_level[BodyLevel.HOUSING_REGION]
        if bodies[c].organisation_code
    }
    group_order = sorted(
        groups, key=lambda g: (g == "", g not in table_for_region, -len(groups[g]), g)
    )

    # Group frames in the bottom row, side by side.
    frames: list[Box] = []
    muni_boxes: dict[str, Box] = {}
    x = float(MARGIN)
    rows_y = [MARGIN + i * (BOX_H + ROW_GAP) for i in range(4)]
    bottom_y = rows_y[3] + BOX_H + ROW_GAP
    bottom_h = 0.0
    for key in group_order:
        members = groups[key]
        cols = 4 if len(members) > 8 else 2 if len(members) > 2 else 1
        rows = -(-len(members) // cols)
        w = cols * MUN_W + (cols - 1) * MUN_GAP_X + 2 * GROUP_PAD
        h = GROUP_HEADER + rows * MUN_H + (rows - 1) * MUN_GAP_Y + 2 * GROUP_PAD
        frame = Box(key, "organisation", region_names.get(key, ""), "", x, bottom_y, w, h)
        frames.append(frame)
        for i, code in enumerate(members):
            col, row = i % cols, i // cols
            muni_boxes[code] = Box(
                code,
                "municipality",
                names[code],
                "",
                x + GROUP_PAD + col * (MUN_W + MUN_GAP_X),
                bottom_y + GROUP_HEADER + GROUP_PAD + row * (MUN_H + MUN_GAP_Y),
                MUN_W,
                MUN_H,
            )
        x += w + 40
        bottom_h = max(bottom_h, h)
    width = max(x - 40 + MARGIN, 3 * BOX_W + 2 * 40 + 2 * MARGIN)
    centre = width / 2
    frame_by_key = {f.code: f for f in frames}

    boxes: dict[str, Box] = {}

    def place_row(
        codes: list[str], y: float, kind: str, labels: dict[str, tuple[str, str]]
    ) -> None:
        for code, bx in zip(codes, _spread(len(codes), centre, BOX_W), strict=True):
            label, sub = labels[code]
            boxes[code] = Box(code, kind, label, sub, bx, y, BOX_W, BOX_H)

    def body_labels(codes: list[str]) -> dict[str, tuple[str, str]]:
        return {c: (bodies[c].short_name, bodies[c].kind_label) for c in codes}

    place_row(
        by_level[BodyLevel.NATIONAL], rows_y[0], "body", body_labels(by_level[BodyLevel.NATIONAL])
    )
    place_row(
        by_level[BodyLevel.PROVINCIAL],
        rows_y[1],
        "body",
        body_labels(by_level[BodyLevel.PROVINCIAL]),
    )
    # Housing-region tables over their municipalities; regional bodies between them.
    tables = by_level[BodyLevel.HOUSING_REGION]
    for code in tables:
        over = frame_by_key.get(bodies[code].organisation_code or "")
        bx = (over.cx if over else centre) - BOX_W / 2
        boxes[code] = Box(
            code,
            "body",
            bodies[code].short_name,
            bodies[code].kind_label,
            bx,
            rows_y[2],
            BOX_W,
            BOX_H,
        )
    regional = by_level[BodyLevel.REGIONAL]
    if regional:
        placed = sorted(boxes[c].cx for c in tables)
        mid = (placed[0] + placed[-1]) / 2 if len(placed) >= 2 else centre
        for code, bx in zip(regional, _spread(len(regional), mid, BOX_W, gap=MIN_GAP), strict=True):
            boxes[code] = Box(
                code,
                "body",
                bodies[code].short_name,
                bodies[code].kind_label,
                bx,
                rows_y[2],
                BOX_W,
                BOX_H,
            )
    # Keep overlapping boxes in row 2 apart (e.g. a table placed over a narrow region).
    row2 = sorted((boxes[c] for c in tables + regional), key=lambda b: b.x)
    for left, right in itertools.pairwise(row2):
        if right.x < left.x + left.w + MIN_GAP:
            shifted = Box(
                right.code,
                right.kind,
                right.label,
                right.sublabel,
                left.x + left.w + MIN_GAP,
                right.y,
                right.w,
                right.h,
            )
            boxes[right.code] = shifted
            row2[row2.index(right)] = shifted
    offices = structure.coordination_offices
    anchor_x = centre
    if regional:
        anchor_x = sum(boxes[c].cx for c in regional) / len(regional)
    for office, bx in zip(offices, _spread(len(offices), anchor_x, BOX_W), strict=True):
        boxes[office.code] = Box(
            office.code, "organisation", office.short_name, office.name, bx, rows_y[3], BOX_W, BOX_H
        )

    def endpoint(code: str) -> Box | None:
        if code in boxes:
            return boxes[code]
        if code in muni_boxes:
            # Lines to single municipalities are drawn to their group frame.
            for frame in frames:
                if code in groups[frame.code]:
                    return frame
        return frame_by_key.get(code)

    diagram = Diagram(width=width, height=bottom_y + bottom_h + MARGIN)
    diagram.boxes = list(boxes.values()) + list(muni_boxes.values())
    diagram.groups = frames
    seen: set[tuple[str, str, str]] = set()
    for relation in structure.relations:
        a, b = endpoint(relation.source), endpoint(relation.target)
        if a is None or b is None:
            continue
        edge = (a.code, b.code, relation.kind)
        if edge in seen:
            continue
        seen.add(edge)
        x1, y1, x2, y2 = _anchor(a, b)
        diagram.lines.append(
            Line(
                x1,
                y1,
                x2,
                y2,
                relation.kind_label,
                relation.kind,
                relation.kind == "coordinates_with",
            )
        )
    # Each housing region's municipalities take part in its table.
    for code in tables:
        region_frame = frame_by_key.get(bodies[code].organisation_code or "")
        if region_frame is not None:
            x1, y1, x2, y2 = _anchor(region_frame, boxes[code])
            diagram.lines.append(Line(x1, y1, x2, y2, "", "takes_part", False))
    return diagram

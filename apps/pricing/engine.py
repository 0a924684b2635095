"""The pricing engine: what a trip costs under a network's weekly pricing rules. Pure functions, no database.

A rule is in force over a window of the week in the network's local time, from (`start_dow`, `start_hod`) to
(`end_dow`, `end_hod`), 0 being Sunday; a window whose end comes before its start wraps past Sunday midnight,
`24:00:00` is the end of a day, and a window ending where it starts covers the whole week. A network's
windows never overlap (the services refuse it), so at most one rule is in force at any moment.

A trip is a list of segments, each ridden (`use`) or paused (`on_hold`). Each segment is billed in started
minutes counted from its own start, and every minute at the price of the rule in force when it starts (in
local time, so daylight-saving changes move the windows with the clock). The rule in force when the trip
starts sets the unlock price and the included use time: use minutes that start before that much use time has
elapsed are free. Freefloat locking costs the price of the rule in force when the trip ends. A moment no rule
covers is free. Amounts are summed exactly and rounded once, by the caller, to the currency.

The engine walks a segment from window boundary to window boundary (and across daylight-saving changes)
rather than minute by minute, and answers one line per stretch of minutes under one rule: the "split" of a
trip across windows. The tests check it against a minute-by-minute evaluation.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

DAY = 86_400
WEEK = 7 * DAY
MINUTE = timedelta(minutes=1)


def second_of_week(dow: int, seconds_of_day: int) -> int:
    """0 is Sunday 00:00; Saturday 24:00:00 is the end of the week (0 again)."""
    return (dow * DAY + seconds_of_day) % WEEK


def week_intervals(start: int, end: int) -> list[tuple[int, int]]:
    """The half-open stretches of [0, WEEK) a window covers."""
    if start == end:
        return [(0, WEEK)]
    if start < end:
        return [(start, end)]
    return [(s, e) for s, e in ((start, WEEK), (0, end)) if s < e]


def windows_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in week_intervals(*a) for s2, e2 in week_intervals(*b))


@dataclass(frozen=True)
class Rule:
    id: int | None
    start: int  # second of the week, see second_of_week()
    end: int
    unlock_price: Decimal = Decimal(0)
    unlock_included_time: int = 0  # seconds
    freefloat_lock_price: Decimal = Decimal(0)
    use_per_minute_price: Decimal = Decimal(0)
    on_hold_price: Decimal = Decimal(0)

    def covers(self, second: int) -> bool:
        return any(s <= second < e for s, e in week_intervals(self.start, self.end))

    def per_minute(self, kind: str) -> Decimal:
        return self.use_per_minute_price if kind == "use" else self.on_hold_price


@dataclass(frozen=True)
class Segment:
    kind: str  # "use" | "on_hold"
    start: datetime  # aware
    end: datetime

    @property
    def minutes(self) -> int:
        return max(math.ceil((self.end - self.start).total_seconds() / 60), 0)


@dataclass(frozen=True)
class Line:
    kind: str  # unlock | use | included | on_hold | freefloat_lock
    rule_id: int | None
    minutes: int
    unit_price: Decimal
    amount: Decimal
    start: datetime | None = None


@dataclass
class Quote:
    lines: list[Line] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


class Schedule:
    """A network's rules with their window boundaries, to find the rule in force and the next change."""

    def __init__(self, rules, tz: ZoneInfo):
        self.rules, self.tz = list(rules), tz
        self.edges = sorted({edge for r in self.rules for s, e in week_intervals(r.start, r.end) for edge in (s, e % WEEK)})

    def local_second(self, instant: datetime) -> int:
        local = instant.astimezone(self.tz)
        return second_of_week(local.isoweekday() % 7, local.hour * 3600 + local.minute * 60 + local.second)

    def rule_at(self, instant: datetime) -> Rule | None:
        second = self.local_second(instant)
        return next((r for r in self.rules if r.covers(second)), None)

    def seconds_to_next_edge(self, instant: datetime) -> int:
        """Local seconds from `instant` to the next window boundary (a whole week when there is none)."""
        if not self.edges:
            return WEEK
        second = self.local_second(instant)
        index = bisect_right(self.edges, second)
        following = self.edges[index] if index < len(self.edges) else self.edges[0] + WEEK
        return following - second

    def same_offset_minutes(self, start: datetime, count: int) -> int:
        """How many of the `count` minutes from `start` begin under the UTC offset of the first one."""
        offset = start.astimezone(self.tz).utcoffset()
        if (start + (count - 1) * MINUTE).astimezone(self.tz).utcoffset() == offset:
            return count  # a trip never spans two daylight-saving changes
        low, high = 0, count - 1  # minute `low` shares the offset, minute `high` does not
        while high - low > 1:
            middle = (low + high) // 2
            if (start + middle * MINUTE).astimezone(self.tz).utcoffset() == offset:
                low = middle
            else:
                high = middle
        return high


def price_trip(*, rules, tz: ZoneInfo, segments: list[Segment], freefloat_lock: bool = False,
               unlock: bool = True, use_seconds_before: int = 0, included_time: int | None = None) -> Quote:
    """The quote of a trip (or, with `unlock=False`, of the continuation of one whose earlier part used
    `use_seconds_before` of use time, under `included_time` set by its first part)."""
    schedule = Schedule(rules, tz)
    quote = Quote()
    if not segments:
        return quote
    opening = schedule.rule_at(segments[0].start)
    if included_time is None:
        included_time = opening.unlock_included_time if opening else 0
    if unlock and opening is not None:
        quote.lines.append(Line("unlock", opening.id, 0, opening.unlock_price, opening.unlock_price, segments[0].start))
    used = use_seconds_before
    for segment in segments:
        done, total = 0, segment.minutes
        while done < total:
            at = segment.start + done * MINUTE
            rule = schedule.rule_at(at)
            # Minutes starting before the next window edge (local seconds ahead, exact under one UTC offset).
            stretch = min(math.ceil(schedule.seconds_to_next_edge(at) / 60), total - done)
            stretch = schedule.same_offset_minutes(at, stretch)
            free = 0
            if segment.kind == "use":
                free = min(stretch, max(math.ceil((included_time - used) / 60), 0))
                used += 60 * stretch
            if free:
                quote.lines.append(Line("included", rule.id if rule else None, free, Decimal(0), Decimal(0), at))
            if stretch > free:
                unit = rule.per_minute(segment.kind) if rule else Decimal(0)  # no rule in force: free
                quote.lines.append(Line(segment.kind, rule.id if rule else None, stretch - free, unit,
                                        unit * (stretch - free), at + free * MINUTE))
            done += stretch
    if freefloat_lock:
        closing = schedule.rule_at(segments[-1].end)
        if closing is not None:
            quote.lines.append(Line("freefloat_lock", closing.id, 0, closing.freefloat_lock_price,
                                    closing.freefloat_lock_price, segments[-1].end))
    return quote

"""The pricing engine against a minute-by-minute evaluation (hypothesis), and worked examples."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from apps.pricing.engine import WEEK, Rule, Segment, price_trip, second_of_week, windows_overlap

PARIS = ZoneInfo("Europe/Paris")
ZONES = [ZoneInfo(name) for name in ("Europe/Paris", "America/New_York", "Australia/Sydney", "UTC", "Asia/Kolkata")]
DST_CHANGES = [datetime(2026, *moment, tzinfo=timezone.utc) for moment in
               [(3, 29, 1), (10, 25, 1), (3, 8, 7), (11, 1, 6), (4, 4, 16), (10, 3, 16)]]
prices = st.decimals(min_value=0, max_value=5, places=2)


@st.composite
def rule_sets(draw):
    """Rules over disjoint windows: cut the week at sorted points and give some of the pieces a rule."""
    # Every daylight-saving change of the zones below happens early on a Sunday: put edges there often.
    sunday_night = st.integers(0, 6 * 3600)
    points = sorted(draw(st.sets(st.one_of(st.integers(0, WEEK - 1), sunday_night), min_size=1, max_size=8)))
    rules = []
    for index, start in enumerate(points):
        end = points[(index + 1) % len(points)]  # the last piece wraps past Sunday midnight
        if draw(st.booleans()):
            rules.append(Rule(id=index, start=start, end=end, unlock_price=draw(prices),
                              unlock_included_time=draw(st.integers(0, 1800)), freefloat_lock_price=draw(prices),
                              use_per_minute_price=draw(prices), on_hold_price=draw(prices)))
    return rules


@st.composite
def trips(draw):
    # Anywhere in 2026, or within hours of one of its daylight-saving changes (Paris, New York, Sydney).
    anchor = draw(st.sampled_from([datetime(2026, 1, 1, tzinfo=timezone.utc)] * 3 + DST_CHANGES))
    spread = 365 * 86_400 if anchor.month == 1 else 6 * 3600
    start = anchor + timedelta(seconds=draw(st.integers(-spread if anchor.month != 1 else 0, spread)))
    segments, at = [], start
    for _ in range(draw(st.integers(1, 4))):
        end = at + timedelta(seconds=draw(st.integers(0, 10 * 3600)))
        segments.append(Segment(draw(st.sampled_from(["use", "on_hold"])), at, end))
        at = end
    return segments


def in_force(rules, tz, instant):
    """Found independently of the engine: the rule whose window holds the local second of the week."""
    local = instant.astimezone(tz)
    second = (local.isoweekday() % 7) * 86_400 + local.hour * 3600 + local.minute * 60 + local.second
    for rule in rules:
        if rule.start == rule.end or rule.start <= second < rule.end or (
                rule.start > rule.end and (second >= rule.start or second < rule.end)):
            return rule
    return None


def minute_by_minute(rules, tz, segments, freefloat_lock):
    """The sum over every minute of the price of the rule in force when it starts."""
    opening = in_force(rules, tz, segments[0].start)
    total = opening.unlock_price if opening else Decimal(0)
    included = opening.unlock_included_time if opening else 0
    use_seconds = 0
    for segment in segments:
        for k in range(segment.minutes):
            rule = in_force(rules, tz, segment.start + timedelta(minutes=k))
            if segment.kind == "use":
                free = use_seconds < included
                use_seconds += 60
                if free:
                    continue
            if rule is not None:
                total += rule.use_per_minute_price if segment.kind == "use" else rule.on_hold_price
    closing = in_force(rules, tz, segments[-1].end)
    if freefloat_lock and closing is not None:
        total += closing.freefloat_lock_price
    return total


@settings(max_examples=500, deadline=None)
@given(rules=rule_sets(), segments=trips(), tz=st.sampled_from(ZONES), freefloat_lock=st.booleans())
def test_price_is_the_sum_over_minutes_of_the_rule_in_force(rules, segments, tz, freefloat_lock):
    quote = price_trip(rules=rules, tz=tz, segments=segments, freefloat_lock=freefloat_lock)
    assert quote.total == minute_by_minute(rules, tz, segments, freefloat_lock)
    assert sum(line.minutes for line in quote.lines) == sum(s.minutes for s in segments)


@settings(max_examples=200, deadline=None)
@given(rules=rule_sets(), segments=trips(), tz=st.sampled_from(ZONES), data=st.data())
def test_price_does_not_depend_on_how_the_trip_is_split(rules, segments, tz, data):
    whole = price_trip(rules=rules, tz=tz, segments=segments).total

    # Cut one segment at a minute boundary into two of the same kind.
    index = data.draw(st.integers(0, len(segments) - 1))
    segment = segments[index]
    cut = segment.start + timedelta(minutes=data.draw(st.integers(0, segment.minutes)))
    cut = min(cut, segment.end)
    pieces = [Segment(segment.kind, segment.start, cut), Segment(segment.kind, cut, segment.end)]
    resplit = segments[:index] + pieces + segments[index + 1:]
    assert price_trip(rules=rules, tz=tz, segments=resplit).total == whole

    # Price the trip as two consecutive parts: the second continues the first's included time, no new unlock.
    head, tail = resplit[:index + 1], resplit[index + 1:]
    first = price_trip(rules=rules, tz=tz, segments=head)
    if tail:
        opening = next((r for r in rules if r.covers(second_of_week_at(head[0].start, tz))), None)
        used = 60 * sum(s.minutes for s in head if s.kind == "use")
        second = price_trip(rules=rules, tz=tz, segments=tail, unlock=False, use_seconds_before=used,
                            included_time=opening.unlock_included_time if opening else 0)
        assert first.total + second.total == whole


def second_of_week_at(instant, tz):
    local = instant.astimezone(tz)
    return second_of_week(local.isoweekday() % 7, local.hour * 3600 + local.minute * 60 + local.second)


def paris(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=PARIS)


def test_a_trip_across_two_windows_is_split_between_them():
    # Weekdays (Mon 06:00 to Fri 22:00) and the rest, wrapping over the weekend.
    weekday = Rule(1, second_of_week(1, 6 * 3600), second_of_week(5, 22 * 3600), unlock_price=Decimal("1"),
                   unlock_included_time=300, use_per_minute_price=Decimal("0.20"), on_hold_price=Decimal("0.05"),
                   freefloat_lock_price=Decimal("0.50"))
    night = Rule(2, second_of_week(5, 22 * 3600), second_of_week(1, 6 * 3600), unlock_price=Decimal("2"),
                 use_per_minute_price=Decimal("0.30"), freefloat_lock_price=Decimal("1"))
    assert not windows_overlap((weekday.start, weekday.end), (night.start, night.end))
    # Friday 2026-03-06 21:50 -> 22:20 riding, then 10 minutes on hold, ending in freefloat.
    segments = [Segment("use", paris(6, 21, 50), paris(6, 22, 20)), Segment("on_hold", paris(6, 22, 20), paris(6, 22, 30))]
    quote = price_trip(rules=[weekday, night], tz=PARIS, segments=segments, freefloat_lock=True)
    assert [(l.kind, l.rule_id, l.minutes, l.amount) for l in quote.lines] == [
        ("unlock", 1, 0, Decimal("1")),
        ("included", 1, 5, Decimal("0")),
        ("use", 1, 5, Decimal("1.00")),  # 21:55-22:00 at the weekday price
        ("use", 2, 20, Decimal("6.00")),  # 22:00-22:20 at the night price
        ("on_hold", 2, 10, Decimal("0")),  # the night rule charges nothing on hold
        ("freefloat_lock", 2, 0, Decimal("1")),
    ]
    assert quote.total == Decimal("9.00")


def test_started_minutes_are_charged_and_daylight_saving_moves_windows_with_the_clock():
    # A rule from 02:30 local on Sundays: on 2026-03-29 Paris jumps from 02:00 to 03:00.
    early = Rule(1, second_of_week(0, 0), second_of_week(0, 2 * 3600 + 1800), use_per_minute_price=Decimal("1"))
    late = Rule(2, second_of_week(0, 2 * 3600 + 1800), second_of_week(1, 0), use_per_minute_price=Decimal("10"))
    start = datetime(2026, 3, 29, 0, 55, 30, tzinfo=timezone.utc)  # 01:55:30 local
    quote = price_trip(rules=[early, late], tz=PARIS, segments=[Segment("use", start, start + timedelta(seconds=361))])
    # 7 started minutes: 01:55:30..01:59:30 local (5 at 1), then 03:00:30, 03:01:30 local (2 at 10).
    assert [(l.rule_id, l.minutes) for l in quote.lines if l.kind == "use"] == [(1, 5), (2, 2)]
    assert quote.total == Decimal("25")


def test_without_rules_a_trip_is_free():
    start = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
    assert price_trip(rules=[], tz=PARIS, segments=[Segment("use", start, start + timedelta(hours=1))],
                      freefloat_lock=True).total == 0

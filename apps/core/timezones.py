"""Days as a user in some time zone sees them (a DST day lasts 23 or 25 hours)."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tz)


def local_day_bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[`start` 00:00, the day after `end` 00:00) in `tz`, as aware datetimes."""
    return local_midnight(start, tz), local_midnight(end + timedelta(days=1), tz)

"""Store the day summaries of the demo year at once, so the first statistics page reads them (the worker's beat
keeps them filled afterwards)."""
from . import tasks


def seed(ctx):
    ctx.log(f"statistics: {tasks.fill_trip_days()} days stored")

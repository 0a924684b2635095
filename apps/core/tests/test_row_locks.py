"""Row locks take the rows a write changes, never the rows it only reads along (issue 33: a refund locked its
network's currency row through `select_related`, and two refunds of one currency deadlocked). A `select_for_update`
with `select_related` must say `of=("self", ...)`."""
import re
from pathlib import Path

from django.conf import settings

# A locking query that joins related rows without naming which rows it locks (on one line or across a few).
UNBOUNDED_LOCK = re.compile(r"select_for_update\(\s*\)\s*\.\s*select_related\("
                            r"|select_related\([^)]*\)\s*\.\s*(?:\w+\([^)]*\)\s*\.\s*)*select_for_update\(\s*\)")


def test_no_lock_takes_the_related_rows_it_reads():
    offenders = []
    for path in sorted((Path(settings.BASE_DIR) / "apps").rglob("*.py")):
        if "tests" in path.parts:
            continue
        text = re.sub(r"\s+", " ", path.read_text())
        offenders += [f"{path.relative_to(settings.BASE_DIR)}" for _ in UNBOUNDED_LOCK.finditer(text)]
    assert not offenders, offenders

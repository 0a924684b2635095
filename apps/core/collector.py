"""What a web worker keeps for its whole life, moved out of the garbage collector's reach as it grows.

`fleetadmin.wsgi` freezes what loading the project built (`gc.freeze()`). A worker's first requests build more that
lives as long (URL and template caches, compiled statements, the stored days' copy): ~43,000 objects after 400
listTrips requests, which every full collection walked again, 15-27 ms each, about one request in forty
(`bench/collector.py`, docs/performance.md). After the worker's 1st, 10th, 100th, 1,000th and 10,000th request,
once its answer is sent, the garbage is collected and what is left is frozen too; later full collections take
1-2.5 ms. A frozen object is still freed when no reference to it is left (reference counting); only a cycle made by
the request under way at those five moments would stay.
"""
import gc

from django.core.signals import request_finished

FREEZE_AFTER = frozenset({1, 10, 100, 1_000, 10_000})


class _RequestsServed:
    def __init__(self):
        self.count = 0

    def __call__(self, **kwargs):
        self.count += 1
        if self.count in FREEZE_AFTER:
            gc.collect()
            gc.freeze()


def freeze_what_requests_keep() -> None:
    """Connect the schedule (a web worker, once: fleetadmin.wsgi). The signal comes when the server closes the
    response, after its last byte is sent: the client does not wait on the collection."""
    request_finished.connect(_RequestsServed(), weak=False, dispatch_uid="fleetadmin.freeze_what_requests_keep")

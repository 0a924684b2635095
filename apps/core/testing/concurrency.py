"""Requests fired at the same instant from threads (each with its own database connection), for race tests."""
import threading

from django.db import connection


def at_once(*calls):
    """Run each callable in its own thread, released together by a barrier; their results, in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results

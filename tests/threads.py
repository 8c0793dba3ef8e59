"""Concurrency on PostgreSQL for the *_pg tests: calls released together, each on its own connection."""

import threading

from django.db import connections


def at_once(*calls):
    """Run ``calls`` in threads released together, each on its own connection; their results or exceptions."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # returned to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results

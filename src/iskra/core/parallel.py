"""Bulk work (reading an old site's dump, analysing thousands of texts for the search,
ranking the likeness of thousands of articles) spread over the processors this process
may use.

``forked_map`` runs a function over chunks of work in worker processes forked from this
one, so they start with everything it holds (the dictionaries, the postings of the
likeness ranking) and need nothing sent but their chunk. They compute only: no database,
no files. Where there is one processor, or one chunk, or this is not the main thread of
a process of its own (a worker forked by a pool), the work runs here, the same way.

``BULK_PROCESSES`` (an environment variable) caps the processes; 1 keeps all bulk work
in the importing process.
"""

import contextlib
import gc
import multiprocessing
import os
import signal
import threading

_JOB = None  # the function the forked workers run (inherited: closures do not pickle)


def processes():
    """Return how many processes bulk work may use here (1: in this process only)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        available = os.cpu_count() or 1
    configured = os.environ.get("BULK_PROCESSES", "")
    if configured.isdigit() and int(configured) > 0:
        available = min(available, int(configured))
    if multiprocessing.parent_process() is not None:
        return 1  # already a worker
    if threading.current_thread() is not threading.main_thread():
        return 1  # forking a threaded server's request thread leaves its other threads
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, available)


@contextlib.contextmanager
def frozen_heap():
    """Fork inside this block: the objects this process holds are frozen (``gc.freeze``)
    for the fork, so that a worker's garbage collection does not walk them and make its
    own copy of every memory page they are on (measured on the 20,000-post import: the
    importer and its workers together 899 MB before, see docs/benchmarks.md)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # only here: the workers keep theirs frozen


def _start_worker():
    # The parent's handlers (a server's graceful shutdown) are not a worker's: the pool
    # ends its workers with SIGTERM, which must end them.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(chunk):
    return _JOB(chunk)


@contextlib.contextmanager
def forked_pool(workers=None):
    """A pool of forked worker processes (``workers``, by default one a processor), or
    None where bulk work runs in this process (see the module). One worker is a pool
    too where there are processors to spare (this process does other work meanwhile).
    The workers run only module-level functions or the one passed to ``forked_map``."""
    available = processes()
    workers = min(available, workers) if workers else available
    if available < 2 or workers < 1:
        yield None
        return
    with frozen_heap():
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker)
    try:
        yield pool
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def forked_map(function, chunks):
    """Yield ``function(chunk)`` for each of ``chunks``, in their order, computed in
    forked processes when more than one processor is available (see the module)."""
    chunks = list(chunks)
    if len(chunks) < 2:
        yield from map(function, chunks)
        return
    global _JOB
    previous, _JOB = _JOB, function  # set before the fork: the workers inherit it
    try:
        with forked_pool(len(chunks)) as pool:
            if pool is None:
                yield from map(function, chunks)
            else:
                yield from pool.imap(_run, chunks)
    finally:
        _JOB = previous

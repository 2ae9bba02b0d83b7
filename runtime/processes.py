"""Worker processes that never outlive the process that started them.

warta starts helpers through multiprocessing: extraction workers in a crawl, Whoosh's writer processes
and the stemming pool in an index rebuild. A `kill -9` of the parent (the scheduler's timeout, an
operator, the OOM killer) gives the parent no chance to stop them, and a forked child inherits the
parent's signal handlers (Scrapy's and Twisted's), so it may not even stop on SIGTERM. Left alone they
run on, holding memory and file handles, for as long as the machine is up.

`die_with_parent()` registers a hook that multiprocessing runs in every child it starts from then on:
the kernel sends the child SIGKILL when its parent dies (Linux's PR_SET_PDEATHSIG), SIGTERM gets its
default meaning back, and SIGINT (a Ctrl-C reaches the whole process group) is left to the parent,
which decides how to stop its workers. Until that hook has run, a child still has the parent's handlers:
a SIGTERM then (a pool terminating its workers right after starting them) would be lost, so workers are
started inside `sigterm_held()`, and such a signal waits until the child can act on it.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

PR_SET_PDEATHSIG = 1


class _Hook:
    """multiprocessing keeps after-fork hooks in a weak registry: this object is the key it keeps alive."""

    installed = False


_HOOK = _Hook()


def die_with_parent() -> None:
    """From now on, children started by multiprocessing in this process end when this process ends."""
    if not _HOOK.installed:
        multiprocessing.util.register_after_fork(_HOOK, _in_child)
        _HOOK.installed = True


@contextlib.contextmanager
def sigterm_held() -> Iterator[None]:
    """Children forked inside this block start with SIGTERM blocked; the after-fork hook unblocks it once
    SIGTERM has its default meaning, so one sent in between ends the child instead of reaching the parent's
    handler. In this process a SIGTERM arriving meanwhile is delivered when the block ends."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _in_child(_hook: _Hook) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            return
    parent = multiprocessing.parent_process()
    if parent is not None and parent.pid is not None and os.getppid() != parent.pid:
        os._exit(1)  # the parent died before the death signal was armed


def close_inherited_sockets() -> int:
    """Close every socket this process inherited (a worker forked from a process with connections open);
    returns how many. A worker holding a copy of the parent's connection keeps it open after the parent
    closed its own (Scrapy dropping a timed-out download): the server sees it until the worker exits.
    Pipes (multiprocessing's own channels) and files are left alone."""
    closed = 0
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return 0
    for entry in list(fds.iterdir()):
        try:
            if os.readlink(entry).startswith("socket:"):
                os.close(int(entry.name))
                closed += 1
        except (OSError, ValueError):  # the fd of the listing itself, gone by now
            continue
    return closed

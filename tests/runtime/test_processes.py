"""Workers that never outlive their parent, and never miss a SIGTERM sent as they start."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT

# A parent with a Python SIGTERM handler of its own, as a crawl has Scrapy's. A hook registered before
# die_with_parent's runs first in the child and sends the child SIGTERM: a signal arriving in the window
# between the fork and die_with_parent's hook.
SCRIPT = textwrap.dedent("""
    import multiprocessing, multiprocessing.util, os, signal, sys, time
    from runtime.processes import die_with_parent, sigterm_held

    signal.signal(signal.SIGTERM, lambda *_: print("handled by the parent's handler", flush=True))

    class Early:
        pass

    early = Early()
    multiprocessing.util.register_after_fork(early, lambda _: os.kill(os.getpid(), signal.SIGTERM))
    die_with_parent()

    def work():
        time.sleep(0.5)
        sys.exit(7)

    child = multiprocessing.get_context("fork").Process(target=work)
    if sys.argv[1] == "held":
        with sigterm_held():
            child.start()
    else:
        child.start()
    child.join(20)
    print("exit", child.exitcode, flush=True)
""")


def start_with_sigterm_in_the_window(mode: str) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_sigterm_sent_while_a_worker_starts_ends_it_when_started_inside_sigterm_held():
    assert start_with_sigterm_in_the_window("held").splitlines() == ["exit -15"]


def test_without_sigterm_held_the_inherited_handler_swallows_it():
    """The case sigterm_held exists for: this is what a pool's terminate() met in a crawl."""
    out = start_with_sigterm_in_the_window("plain").splitlines()
    assert out == ["handled by the parent's handler", "exit 7"]

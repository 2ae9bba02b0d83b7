"""The extraction pool survives a dead worker, and a crawl whose pool broke still exits."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT

# Both workers are made deaf to SIGTERM and left idle: one waits for work on the call queue's pipe holding
# the queue's lock, the other waits for that lock. The first is killed, so the lock is never released. The
# next task must run in a fresh pool, and the process must still exit: concurrent.futures only SIGTERMs a
# broken pool's survivor and then waits for it, at exit too.
SCRIPT = textwrap.dedent("""
    import asyncio, os, signal, sys, time
    from crawler import extraction_pool

    def deaf(tmp):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        open(os.path.join(tmp, str(os.getpid())), "w").close()
        deadline = time.monotonic() + 10
        while len(os.listdir(tmp)) < 2 and time.monotonic() < deadline:  # so each worker takes one
            time.sleep(0.01)

    def reading(pid):
        with open(f"/proc/{pid}/wchan") as wchan:
            return "pipe" in wchan.read()

    async def main(tmp):
        await asyncio.gather(*[extraction_pool.run(deaf, tmp, workers=2) for _ in range(2)])
        first = extraction_pool.worker_pids()
        deadline = time.monotonic() + 10
        while not (holder := [pid for pid in first if reading(pid)]):
            assert time.monotonic() < deadline, "no worker waiting on the call queue"
            await asyncio.sleep(0.02)
        os.kill(holder[0], signal.SIGKILL)
        pid = await extraction_pool.run(os.getpid, workers=2)
        print("fresh pool" if pid not in first else "same pool", flush=True)

    asyncio.run(main(sys.argv[1]))
""")


def test_a_crawl_whose_worker_died_exits_though_the_survivor_ignores_sigterm(tmp_path):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["fresh pool"]
    assert "starting a fresh pool" in done.stderr

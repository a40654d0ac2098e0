"""Job functions the tests register: trivial on purpose, so the tests exercise the machinery."""
import threading

from communique.jobs import job

gate = threading.Event()


@job("tests.add")
def add(progress, *, a, b):
    progress(30, "adding")
    progress(20, "going backwards is ignored")
    progress(80, "nearly")
    return {"sum": a + b}


@job("tests.fail")
def fail(progress, *, why):
    progress(40, "about to fail")
    raise RuntimeError(why)


@job("tests.wait")
def wait(progress, *, seconds=10):
    progress(10, "waiting for the gate")
    if not gate.wait(seconds):
        raise TimeoutError("the test never opened the gate")
    return {"waited": True}


_flaky_calls = {}


@job("tests.flaky")
def flaky(progress, *, failures):
    """Fails with a transient error `failures` times (counted per process), then succeeds."""
    from communique.jobs import Retry

    key = progress.job_id
    _flaky_calls[key] = _flaky_calls.get(key, 0) + 1
    if _flaky_calls[key] <= failures:
        raise Retry("the service is busy")
    return {"attempts": _flaky_calls[key]}


@job("tests.crash_once")
def crash_once(progress, *, marker):
    """The first attempt hangs (the test kills its worker); a later one finishes at once."""
    import time
    from pathlib import Path

    path = Path(marker)
    if not path.exists():
        path.write_text("started")
        progress(25, "first attempt: hanging until killed")
        time.sleep(120)
    return {"finished_after_restart": True}

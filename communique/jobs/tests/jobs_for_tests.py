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

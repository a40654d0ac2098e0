"""`python3 dev.py demo` when port 8000 is taken (issue 12, defect 18): a plain message naming
the port and the way out, before any install or build work, and --port N to use another."""
import socket

import pytest

import dev


@pytest.fixture
def busy_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def calls(monkeypatch):
    made = []
    monkeypatch.setattr(dev, "install", lambda extras: made.append(("install", extras)))
    monkeypatch.setattr(dev, "run", lambda *args, env=None, check=True: made.append(("run", [str(a) for a in args], env)))
    return made


def test_busy_port_is_said_plainly_before_any_work(busy_port, calls):
    with pytest.raises(SystemExit) as exit_info:
        dev.demo(["--port", str(busy_port)])
    message = str(exit_info.value.code)
    assert f"Port {busy_port}" in message and "already in use" in message
    assert f"--port {busy_port + 1}" in message
    assert "Traceback" not in message
    assert calls == []


def test_another_port_is_served_and_given_to_the_site(busy_port, calls):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    dev.demo([f"--port={free}"])
    runs = [c for c in calls if c[0] == "run"]
    assert runs[-1][1][-2:] == ["runserver", f"127.0.0.1:{free}"]
    assert all(c[2]["WAGTAILADMIN_BASE_URL"] == f"http://127.0.0.1:{free}" for c in runs)


@pytest.mark.parametrize("args", [["--port", "http"], ["--port", "0"], ["--bogus"]])
def test_bad_arguments_are_named(args, calls):
    with pytest.raises(SystemExit) as exit_info:
        dev.demo(args)
    assert "dev.py demo" in str(exit_info.value.code)
    assert calls == []

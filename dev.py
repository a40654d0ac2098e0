#!/usr/bin/env python3
"""The two commands of the README, for a fresh machine that has only Python (3.11 to 3.13).

    python3 dev.py demo   install into .venv, build the demo magazine (SQLite) and serve it
                          (--port N to serve on another port than 8000)
    python3 dev.py test   install the test dependencies into .venv and run every test

The test command runs the suite on SQLite and, alongside it on a machine with two or more cores,
every test that touches the database again on PostgreSQL (default
postgres://postgres@127.0.0.1:5432/test). When PostgreSQL cannot be reached the second pass
reports each of those tests as skipped, naming the address, unless COMMUNIQUE_REQUIRE_POSTGRES=1
(CI), where that is a failure."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PG_URL = os.environ.get("COMMUNIQUE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def say(message):
    print(f"\n==> {message}", flush=True)


def run(*args, env=None, check=True):
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=check)


def install(extras):
    if not (3, 11) <= sys.version_info[:2] <= (3, 13):
        sys.exit(f"Communiqué needs Python 3.11, 3.12 or 3.13; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        say("Creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    pyproject = ROOT / "pyproject.toml"
    if stamp.exists() and stamp.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    say("Installing Communiqué" + (f" with [{extras}]" if extras else ""))
    target = f".[{extras}]" if extras else "."
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
    stamp.touch()


def port_in_use(host, port):
    """True when something already listens on host:port (e.g. an earlier demo still running)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def demo_port(args):
    """The port of `dev.py demo [--port N]`: 8000 unless told otherwise."""
    port = 8000
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        value = None
        if arg.startswith("--port="):
            value = arg.split("=", 1)[1]
        elif arg == "--port" and rest:
            value = rest.pop(0)
        else:
            sys.exit(f"dev.py demo: unknown argument {arg!r} (only --port N is accepted)")
        if not value.isdigit() or not 1 <= int(value) <= 65535:
            sys.exit(f"dev.py demo: --port needs a number from 1 to 65535, not {value!r}")
        port = int(value)
    return port


def demo(args=()):
    host, port = "127.0.0.1", demo_port(args)
    # Checked before any work: runserver would only fail after the install and the demo build,
    # with a traceback.
    if port_in_use(host, port):
        sys.exit(f"Port {port} on {host} is already in use (is an earlier demo still running?).\n"
                 f"Stop it, or serve on another port: python3 dev.py demo --port {port + 1}")
    install("")
    address = f"http://{host}:{port}"
    # The demo's Site gets this address, so canonical links, feeds and JSON-LD point at it.
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="communique.settings.dev", WAGTAILADMIN_BASE_URL=address)
    say("Preparing the database (SQLite in var/)")
    run(BIN / "communique", "migrate", "--no-input", env=env)
    say("Loading the demo magazine")
    run(BIN / "communique", "demo", env=env)
    say("Starting the background worker (editions, kits, imports, scheduled publishing)")
    # The demo's job queue is in its SQLite database; this one worker runs it, so a fresh machine
    # needs no other service.
    worker = subprocess.Popen([str(BIN / "communique"), "worker"], cwd=ROOT, env=env)
    say(f"Serving {address}/  (admin: {address}/admin/, Ctrl+C to stop)")
    try:
        run(BIN / "communique", "runserver", f"{host}:{port}", env=env)
    except KeyboardInterrupt:
        pass
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def postgres_reachable(url):
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=2):
            return True
    except OSError:
        return False


def test(pytest_args):
    install("test")
    base_env = dict(os.environ)
    base_env.pop("DATABASE_URL", None)
    runs = tempfile.mkdtemp(prefix="communique-test-run-")
    # Each pass has its own var directory (the publish-generation file, job logs) and its own Redis
    # databases, so the two can run at once: on two or more cores that halves the wait.
    sqlite_env = dict(base_env, COMMUNIQUE_VAR_DIR=os.path.join(runs, "sqlite"))
    pg_env = dict(base_env, DATABASE_URL=PG_URL, COMMUNIQUE_DB_PASS="postgres",
                  COMMUNIQUE_VAR_DIR=os.path.join(runs, "postgres"), COMMUNIQUE_TEST_REDIS_SHIFT="-8")
    if not postgres_reachable(PG_URL):
        print(f"PostgreSQL is not reachable at {PG_URL}: its tests are reported as skipped.")
    side_by_side = (os.cpu_count() or 1) >= 2
    pg_log = Path(runs) / "postgres.log"
    second = None
    if side_by_side:
        say(f"Test pass 2 of 2 starts alongside pass 1: every database test again on PostgreSQL ({PG_URL});"
            f" its report follows pass 1's (live in {pg_log})")
        with open(pg_log, "w") as log:
            second = subprocess.Popen([str(BIN / "pytest"), *pytest_args], cwd=ROOT, env=pg_env,
                                      stdout=log, stderr=subprocess.STDOUT)
    say("Test pass 1 of 2: the whole suite on SQLite")
    first = run(BIN / "pytest", *pytest_args, env=sqlite_env, check=False).returncode
    if second is not None:
        code = second.wait()
        say(f"Test pass 2 of 2 (PostgreSQL, {PG_URL}), as it ran alongside pass 1:")
        sys.stdout.write(pg_log.read_text(errors="replace"))
        sys.stdout.flush()
    else:
        say(f"Test pass 2 of 2: every database test again on PostgreSQL ({PG_URL})")
        code = run(BIN / "pytest", *pytest_args, env=pg_env, check=False).returncode
    shutil.rmtree(runs, ignore_errors=True)
    # pytest exits 5 when a pass selects no test; that is not a failure of the suite.
    codes = [c for c in (first, code) if c not in (0, 5)]
    sys.exit(codes[0] if codes else 0)


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        sys.exit(__doc__)
    if sys.argv[1] == "demo":
        demo(sys.argv[2:])
    else:
        test(sys.argv[2:])


if __name__ == "__main__":
    main()

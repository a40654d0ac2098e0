"""Break 5: two editors publishing at once on SQLite got "database is locked" 500s at once: a
transaction that had read and then wanted to write could not wait for the other writer. SQLite now
runs in WAL mode with a busy timeout and BEGIN IMMEDIATE transactions, so writers queue instead."""
import json
import os
import subprocess
import sys
import threading

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")


@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_at_once_both_succeed(sqlite):
    from communique.magazine.tests.factories import build_magazine

    mag = build_magazine(n_articles=4, with_images=False)
    articles = mag["articles"]
    rounds = 6
    errors, done = [], []
    start = threading.Barrier(len(articles))

    def editor(article_pk):
        from communique.magazine.models import ArticlePage

        try:
            start.wait()
            for i in range(rounds):
                page = ArticlePage.objects.get(pk=article_pk)
                page.title = f"Edition {i} of {article_pk}"
                page.save_revision().publish()
                done.append(article_pk)
        except Exception as exc:  # what a request would have turned into a 500
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=editor, args=(a.pk,)) for a in articles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == [], errors[:5]
    assert len(done) == rounds * len(articles)
    from communique.magazine.models import ArticlePage

    for a in articles:  # no lost write: each page's live title is its editor's last one
        assert ArticlePage.objects.get(pk=a.pk).title == f"Edition {rounds - 1} of {a.pk}"


def test_sqlite_settings_wait_instead_of_failing(tmp_path):
    """The settings every environment starts from: WAL, a busy timeout and immediate writes."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DJANGO_SETTINGS_MODULE="communique.settings.dev", COMMUNIQUE_VAR_DIR=str(tmp_path))
    code = ("import json, django; django.setup(); from django.db import connection as c; cur = c.cursor();"
            "print(json.dumps({'mode': cur.execute('PRAGMA journal_mode').fetchone()[0],"
            "'busy_ms': cur.execute('PRAGMA busy_timeout').fetchone()[0],"
            "'tx': c.settings_dict['OPTIONS'].get('transaction_mode')}))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["mode"] == "wal", got
    assert got["busy_ms"] >= 5000, got
    assert got["tx"] == "IMMEDIATE", got

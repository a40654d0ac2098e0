"""Break 17: with four workers one reader reloading counted four times (each process remembered
readers on its own), and rotating the User-Agent inflated Most Popular at will. Readers are now
recognised across processes through a shared store, by address and page, not by User-Agent."""
import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from communique.magazine.popularity.buffer import MemoryBuffer, set_buffer
from communique.magazine.popularity.middleware import ViewCountingMiddleware

UAS = [f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0 Safari/537.36"
       for v in range(100, 130)]


def _page(request, pk=41):
    response = HttpResponse("article")
    response["X-Communique-Page"] = str(pk)
    return response


@pytest.fixture
def buffer():
    fresh = MemoryBuffer()
    old = set_buffer(fresh)
    yield fresh
    set_buffer(old)


def _workers(n):
    """n middleware instances: what n gunicorn workers each hold in their own memory."""
    return [ViewCountingMiddleware(_page) for _ in range(n)]


def _get(worker, ip="203.0.113.7", ua=UAS[0], **extra):
    return worker(RequestFactory().get("/article/", REMOTE_ADDR=ip, HTTP_USER_AGENT=ua, **extra))


@pytest.fixture(params=["database", "redis"])
def shared_store(request, db):
    from communique.magazine.popularity import shared_seen

    if request.param == "redis":
        redis = pytest.importorskip("redis")
        client = redis.Redis.from_url("redis://127.0.0.1:6379/1")
        try:
            client.ping()
        except Exception as exc:
            pytest.skip(f"Redis not reachable at 127.0.0.1:6379 ({exc})")
        store = shared_seen.RedisSeen(client)
        store.prefix = f"communique-test:{request.node.name}:seen:"
        for key in client.scan_iter(store.prefix + "*"):
            client.delete(key)
    else:
        store = shared_seen.DatabaseSeen()
    old = shared_seen.set_store(store)
    yield request.param
    shared_seen.set_store(old)


def test_one_reader_reloading_across_four_workers_counts_once(buffer, shared_store):
    workers = _workers(4)
    for _ in range(3):
        for w in workers:
            assert _get(w).status_code == 200
    assert buffer.pending() == 1, f"{buffer.pending()} views counted for one reader ({shared_store})"
    # A second reader on another address still counts, whichever worker serves them.
    _get(workers[2], ip="198.51.100.20")
    assert buffer.pending() == 2


def test_rotating_user_agent_from_one_address_counts_once(buffer, shared_store):
    workers = _workers(2)
    for i, ua in enumerate(UAS):
        _get(workers[i % 2], ua=ua)
    assert buffer.pending() == 1


def test_forged_forwarded_for_does_not_make_new_readers(buffer, shared_store):
    workers = _workers(2)
    for i in range(20):
        _get(workers[i % 2], HTTP_X_FORWARDED_FOR=f"10.1.{i}.1")
    assert buffer.pending() == 1


def test_behind_a_trusted_proxy_the_proxy_seen_address_is_used(buffer, shared_store):
    with override_settings(COMMUNIQUE_TRUSTED_PROXIES=1):
        w = _workers(1)[0]
        # The client prepends whatever it likes; the proxy appends the address it saw.
        _get(w, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.50")
        _get(w, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.50")
        _get(w, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.51")
    assert buffer.pending() == 2


@pytest.mark.django_db
def test_database_sightings_expire_and_are_pruned(buffer):
    from datetime import timedelta

    from django.utils import timezone

    from communique.core.models import ReaderSighting
    from communique.magazine.popularity.shared_seen import DatabaseSeen, reader_key

    store = DatabaseSeen()
    key = reader_key("203.0.113.7", 41)
    assert store.first_visit(key, 1800) and not store.first_visit(key, 1800)
    ReaderSighting.objects.filter(key=key).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert store.first_visit(key, 1800), "an expired sighting counts again"
    assert not store.first_visit(key, 1800)
    ReaderSighting.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert store.prune() == 1 and not ReaderSighting.objects.exists()
    # Nothing stored names the address.
    assert "203.0.113.7" not in key

"""The clock inside `communique worker`: scheduled pages go live without anyone running a command,
and one tick runs once across workers that share a cache."""
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page

from communique.jobs import schedule

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _scheduled_page(seconds_ahead):
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="Scheduled dispatch", slug="scheduled-dispatch", live=False))
    page.go_live_at = timezone.now() + timedelta(seconds=seconds_ahead)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.mark.django_db(transaction=True)
def test_the_worker_clock_publishes_a_scheduled_page_when_its_time_comes():
    page = _scheduled_page(3)
    assert not page.live and page.has_unpublished_changes
    cache.clear()
    with override_settings(COMMUNIQUE_JOBS_BACKEND="database", TASKS=DATABASE_TASKS):
        call_command("worker", "--burst")  # one tick of the clock: not due yet
        assert not Page.objects.get(pk=page.pk).live
        time.sleep(max(0, (page.go_live_at - timezone.now()).total_seconds()) + 0.5)
        cache.clear()  # a new tick (the lease of the previous one has not expired in this test)
        call_command("worker", "--burst")
    assert Page.objects.get(pk=page.pk).live


def test_one_tick_runs_once_across_workers_sharing_a_cache():
    cache.clear()
    calls = []
    schedule.every(60, "tests.tick")(lambda: calls.append(1))
    try:
        first = schedule.run_due(last_run={}, owner="host-a:1")
        second = schedule.run_due(last_run={}, owner="host-b:2")
        assert "tests.tick" in first and "tests.tick" not in second
        assert calls == [1]
    finally:
        schedule._entries.pop("tests.tick", None)


def test_a_failing_entry_does_not_stop_the_others():
    cache.clear()
    calls = []

    def boom():
        raise RuntimeError("the search index is down")

    schedule.every(60, "tests.boom")(boom)
    schedule.every(60, "tests.after")(lambda: calls.append(1))
    try:
        ran = schedule.run_due(last_run={}, owner="host-a:1")
        assert "tests.after" in ran and "tests.boom" not in ran and calls == [1]
    finally:
        schedule._entries.pop("tests.boom", None)
        schedule._entries.pop("tests.after", None)

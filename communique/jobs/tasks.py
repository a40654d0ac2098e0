"""The one django-tasks task behind every Communiqué job. Our Job row keeps what django-tasks does
not (progress, owner, target, attempts); the task only carries the row's id, so whichever backend
runs it (immediate, the database worker, RQ on Redis) ends in the same runner."""
from django_tasks import task


@task()
def run_job_task(job_id: str):
    from .runner import run_in_worker

    run_in_worker(job_id)

"""Who may see a job: its owner, editors as communique.core.roles defines them (staff,
superusers, the editor groups; COMMUNIQUE_EDITOR_GROUPS renames them), and whoever the job's
target lets see it: a kit build an editor started belongs to the book's owner too (issue 8,
break 19). A target opts in with a `job_visible_to(user)` method."""
from communique.core.roles import is_editor  # noqa: F401 - the one definition, re-exported


def can_view_job(user, job):
    if not (user and user.is_authenticated and user.is_active):
        return False
    if job.owner_id == user.pk or is_editor(user):
        return True
    try:
        target = job.target
    except Exception:  # noqa: BLE001 - a target whose model is gone grants nothing
        return False
    check = getattr(target, "job_visible_to", None)
    return bool(check is not None and check(user))

"""Who counts as an editor. Wagtail's default groups are "Editors" and "Moderators"; staff and
superusers are editors too. Settings can rename the groups (COMMUNIQUE_EDITOR_GROUPS)."""
from django.conf import settings

DEFAULT_EDITOR_GROUPS = ("Editors", "Moderators")


def is_editor(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.is_staff:
        return True
    groups = getattr(settings, "COMMUNIQUE_EDITOR_GROUPS", DEFAULT_EDITOR_GROUPS)
    return user.groups.filter(name__in=groups).exists()


def can_view_job(user, job):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return job.owner_id == user.pk or is_editor(user)

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import Job
from .permissions import is_editor


def recent_jobs(request):
    """Editors' view of the last background jobs: what ran, who asked, and why a failure failed."""
    if not is_editor(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    jobs = Job.objects.select_related("owner").order_by("-created_at")
    if status in dict(Job.STATUSES):
        jobs = jobs.filter(status=status)
    return TemplateResponse(
        request,
        "jobs/admin/recent.html",
        {"jobs": jobs[:100], "status": status, "statuses": Job.STATUSES},
    )


@hooks.register("register_admin_urls")
def jobs_admin_urls():
    return [path("jobs/", recent_jobs, name="jobs_admin_recent")]


class JobsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_editor(request.user)


@hooks.register("register_reports_menu_item")
def jobs_menu_item():
    return JobsMenuItem("Background jobs", reverse("jobs_admin_recent"), icon_name="cogs", order=900)

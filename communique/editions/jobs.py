"""Edition builds as background jobs (found by communique.jobs' autodiscovery)."""
from django.urls import reverse

from communique.jobs import job


@job("editions.build_issue")
def build_issue(progress, *, issue_id, formats):
    from communique.magazine.models import PrintIssuePage

    from . import services

    issue = PrintIssuePage.objects.get(pk=issue_id)
    editions = services.build_issue_editions(issue, formats, progress=progress, job_id=getattr(progress, "job_id", None))
    return {
        "editions": [
            {
                "format": e.format,
                "size": e.size,
                "warnings": len(e.warnings),
                "url": reverse("editions:issue_download", args=[issue.pk, e.format]),
            }
            for e in editions
        ]
    }

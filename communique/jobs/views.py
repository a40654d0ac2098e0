from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Job
from .permissions import can_view_job


@never_cache
@require_GET
def job_status(request, job_id):
    job = get_object_or_404(Job, pk=job_id)
    if not can_view_job(request.user, job):
        status = 403 if request.user.is_authenticated else 401
        return JsonResponse({"error": "You may not see this job."}, status=status)
    return JsonResponse(job.as_dict())

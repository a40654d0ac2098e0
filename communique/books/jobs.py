"""Background jobs of the books app (found by communique.jobs' autodiscovery)."""
from communique.jobs import job


@job("books.build_kit")
def build_kit(progress, *, build_id):
    from .models import KitBuild
    from .services import run_build

    build = KitBuild.objects.select_related("book", "manuscript").get(public_id=build_id)
    build = run_build(build, progress)
    return {"build": str(build.public_id), "files": build.files, "preflight": build.preflight_summary}

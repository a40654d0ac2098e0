"""Background jobs of the books app (found by communique.jobs' autodiscovery)."""
from communique.jobs import job


@job("books.build_kit")
def build_kit(progress, *, build_id):
    from .models import KitBuild
    from .services import run_build

    build = KitBuild.objects.select_related("book", "manuscript").get(public_id=build_id)
    build = run_build(build, progress)
    return {"build": str(build.public_id), "files": build.files, "preflight": build.preflight_summary}


@job("books.read_manuscript")
def read_manuscript(progress, *, manuscript_id):
    """Read an upload in the background, within time and memory limits (issue 8, break 4)."""
    from .models import Manuscript
    from .services import read_stored_manuscript

    ms = Manuscript.objects.select_related("book").get(public_id=manuscript_id)
    ms = read_stored_manuscript(ms, progress)
    return {"manuscript": str(ms.public_id), "chapters": ms.report.get("chapters"), "words": ms.report.get("words")}

"""Web views of the translation desk."""
from __future__ import annotations

from wagtail.contrib.simple_translation.views import SubmitPageTranslationView as _SimpleSubmit


class SubmitPageTranslationView(_SimpleSubmit):
    """simple_translation's "Translate page", refusing with a form error (not a 500) a language into
    which the page's parent is not yet translated (issue 8 break 21)."""

    def post(self, request, **kwargs):
        form = self.get_form()
        if form.is_valid():
            parent = self.object.get_parent()
            missing = [loc for loc in form.cleaned_data["locales"]
                       if parent.depth > 1 and parent.specific.get_translation_or_none(loc) is None]
            if missing:
                names = ", ".join(loc.get_display_name() for loc in missing)
                form.add_error("locales", (
                    f"The parent page “{parent.title}” is not translated into {names} yet. "
                    "Translate the parent page first, then this one."))
                context = self.get_context_data(**kwargs)
                context["form"] = form
                return self.render_to_response(context, status=400)
        return super().post(request, **kwargs)

"""The research desk in the Wagtail admin: entities as snippets (filter by kind and status), bulk
actions to confirm, reject or merge what the extractor suggested, a split view per entity, and
"extract the whole archive" as a background job."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.widgets.button import Button
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import services
from .models import Entity


class EntityViewSet(SnippetViewSet):
    model = Entity
    icon = "user"
    menu_label = "Research: entities"
    menu_name = "research-entities"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["name", "kind", "status", "mention_count", "updated_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    ordering = ["status", "-mention_count"]
    panels = [
        FieldPanel("name"), FieldPanel("kind"), FieldPanel("status"), FieldPanel("description"),
        FieldPanel("wikidata_id"),
        MultiFieldPanel([FieldPanel("country"), FieldPanel("geonames_id"), FieldPanel("iso_code")], "Place"),
        InlinePanel("aliases", label="Other names (aliases, acronyms, former names, translations)"),
    ]


register_snippet(EntityViewSet)


def _can_change(user):
    return user.has_perm("research.change_entity")


class _EntityAction(SnippetBulkAction):
    models = [Entity]
    template_name = "research/admin/confirm_action.html"

    def check_perm(self, obj):
        return _can_change(self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": self}


class ConfirmAction(_EntityAction):
    display_name = _("Confirm")
    action_type = "research_confirm"
    aria_label = _("Confirm the selected entities")
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return services.confirm(objects), 0

    def get_success_message(self, n, _children):
        return f"{n} entities confirmed; their names now guide the extractor."


class RejectAction(_EntityAction):
    display_name = _("Reject")
    action_type = "research_reject"
    aria_label = _("Reject the selected suggestions")
    action_priority = 20
    classes = {"serious"}

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return services.reject(objects), 0

    def get_success_message(self, n, _children):
        return f"{n} entities rejected; these names will not be suggested again."


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Entity.objects.none(), label="Keep", empty_label=None)

    def __init__(self, *args, entities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Entity.objects.filter(pk__in=[e.pk for e in entities])


class MergeAction(_EntityAction):
    display_name = _("Merge")
    action_type = "research_merge"
    aria_label = _("Merge the selected entities into one")
    action_priority = 15
    form_class = MergeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["entities"] = self.get_actionable_objects()[0]
        return kwargs

    def prepare_action(self, objects, objects_without_access):
        if len(objects) < 2:
            messages.error(self.request, "Select at least two entities to merge.")
            return redirect(self.next_url)
        if len({o.kind for o in objects}) > 1:
            messages.error(self.request, "Only entities of one kind can be merged.")
            return redirect(self.next_url)

    def get_execution_context(self):
        return {"target": self.cleaned_form.cleaned_data["target"]}

    @classmethod
    def execute_action(cls, objects, target=None, **kwargs):
        services.merge(target, [o for o in objects if o.pk != target.pk])
        return len(objects), 0

    def get_success_message(self, n, _children):
        return f"{n} entities merged."


for action in (ConfirmAction, RejectAction, MergeAction):
    hooks.register("register_bulk_action", action)


class SplitForm(forms.Form):
    names = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label="Names that are someone (something) else")
    new_name = forms.CharField(required=False, max_length=255, label="Name of the new entity (default: the first chosen)")

    def __init__(self, *args, entity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["names"].choices = [(n, n) for n in entity.all_names()]


def split_view(request, pk):
    if not _can_change(request.user):
        raise PermissionDenied
    entity = get_object_or_404(Entity, pk=pk)
    form = SplitForm(request.POST or None, entity=entity)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.split(entity, form.cleaned_data["names"], form.cleaned_data["new_name"] or None)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{new.name}” split off from “{entity.name}”.")
            return redirect(reverse("wagtailsnippets_research_entity:list"))
    return render(request, "research/admin/split.html", {"entity": entity, "form": form})


def extract_archive_view(request):
    if not _can_change(request.user):
        raise PermissionDenied
    if request.method == "POST":
        from communique.jobs import enqueue

        job = enqueue("research.extract_archive", owner=request.user)
        messages.success(request, f"Reading the whole archive in the background (job {job.pk}).")
        return redirect(reverse("wagtailsnippets_research_entity:list"))
    return render(request, "research/admin/extract_archive.html", {})


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("research/entity/<int:pk>/split/", split_view, name="research_split"),
        path("research/extract-archive/", extract_archive_view, name="research_extract_archive"),
    ]


@hooks.register("register_snippet_listing_buttons")
def split_button(snippet, user, next_url=None):
    if isinstance(snippet, Entity) and _can_change(user):
        yield Button("Split", reverse("research_split", args=[snippet.pk]), priority=30)


class _ArchiveMenuItem(MenuItem):
    def is_shown(self, request):
        return _can_change(request.user)


@hooks.register("register_admin_menu_item")
def archive_menu_item():
    return _ArchiveMenuItem("Research: read the archive", reverse("research_extract_archive"), icon_name="search",
                            order=251)

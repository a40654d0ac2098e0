"""Newsroom roles and content locales.

Written against an app registry argument so the same code runs from the data migration
(historical models, before post_migrate has created any permission rows) and from the
`setup_roles` management command (current models). Running it again converges on the same
state: missing groups, permissions and locales are created, and permissions this module manages
but a role should not have (for instance "publish" on Contributors) are removed.
"""
from django.conf import settings

# Page permissions are granted on the tree's root, so they cover every section and language.
# "add" lets a contributor create and edit their own drafts; "change" edits any page; only
# "publish" lets a user publish, schedule (publish with a future go-live date) or unpublish.
ROLES = {
    "Editors": {
        "admin": True,
        "page": ["add", "change", "publish", "lock", "unlock", "delete"],
        "collection": {
            "wagtailimages.image": ["add", "change", "choose", "delete"],
            "wagtaildocs.document": ["add", "change", "choose", "delete"],
        },
        "model": [
            "magazine.add_author",
            "magazine.change_author",
            "magazine.delete_author",
            "magazine.view_author",
            "core.change_publicationsettings",
            "simple_translation.submit_translation",
            # The research desk: confirm, merge, split names; export the archive's research data.
            "research.add_entity",
            "research.change_entity",
            "research.delete_entity",
            "research.view_entity",
            "research.export_research",
        ],
        "approves_moderation": True,
    },
    "Contributors": {
        "admin": True,
        "page": ["add", "change"],
        "collection": {
            "wagtailimages.image": ["add", "choose"],
            "wagtaildocs.document": ["add", "choose"],
        },
        "model": ["magazine.view_author"],
    },
    "Translators": {
        "admin": True,
        "page": ["change"],
        "collection": {"wagtailimages.image": ["choose"], "wagtaildocs.document": ["choose"]},
        "model": ["magazine.view_author", "simple_translation.submit_translation"],
    },
    # Authors sign in to the author portal only: no Wagtail admin, no page permissions.
    "Authors": {"admin": False, "page": [], "collection": {}, "model": []},
}

PERMISSION_NAMES = {
    "wagtailadmin.access_admin": "Can access Wagtail admin",
    "simple_translation.submit_translation": "Can submit translations",
    "research.export_research": "Can export research data (entities, dates, figures)",
}
# Models whose content types may not exist yet when the migration runs on an empty database.
MODEL_OF = {
    "wagtailadmin.access_admin": ("wagtailadmin", "admin"),
    "simple_translation.submit_translation": ("simple_translation", "simpletranslation"),
    "core.change_publicationsettings": ("core", "publicationsettings"),
    "research.export_research": ("research", "entity"),
}


def _permission(apps, dotted):
    """Get or create a Permission row ("app.codename"), creating its content type if needed."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".", 1)
    if dotted in MODEL_OF:
        ct_app, model = MODEL_OF[dotted]
    else:
        model = codename.rsplit("_", 1)[1]
        ct_app = app_label
    content_type, _ = ContentType.objects.get_or_create(app_label=ct_app, model=model)
    name = PERMISSION_NAMES.get(dotted) or "Can " + codename.replace("_", " ")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def _page_permission(apps, kind):
    return _permission(apps, f"wagtailcore.{kind}_page")


def setup_locales(apps):
    Locale = apps.get_model("wagtailcore", "Locale")
    created = []
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        _, was_created = Locale.objects.get_or_create(language_code=code)
        if was_created:
            created.append(code)
    return created


def setup_roles(apps):
    """Create or update the four newsroom groups. Returns the names of groups created."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_page is None or root_collection is None:
        raise RuntimeError("Wagtail's root page or root collection is missing: run `migrate wagtailcore` first.")

    managed_model_perms = {"wagtailadmin.access_admin"}
    managed_page_kinds = set()
    managed_collection_perms = set()
    for spec in ROLES.values():
        managed_model_perms.update(spec["model"])
        managed_page_kinds.update(spec["page"])
        for model, kinds in spec["collection"].items():
            managed_collection_perms.update(f"{model.split('.')[0]}.{k}_{model.split('.')[1]}" for k in kinds)
    # Everything a role could be given, so a role that should not have it loses it.
    managed_page_kinds.update({"add", "change", "publish", "lock", "unlock", "delete", "bulk_delete"})

    created = []
    for name, spec in ROLES.items():
        group, was_created = Group.objects.get_or_create(name=name)
        if was_created:
            created.append(name)

        wanted = set(spec["model"]) | ({"wagtailadmin.access_admin"} if spec["admin"] else set())
        for dotted in managed_model_perms:
            perm = _permission(apps, dotted)
            if dotted in wanted:
                group.permissions.add(perm)
            else:
                group.permissions.remove(perm)

        for kind in sorted(managed_page_kinds):
            perm = _page_permission(apps, kind)
            if kind in spec["page"]:
                GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=perm)
            else:
                GroupPagePermission.objects.filter(group=group, page=root_page, permission=perm).delete()

        wanted_collection = {
            f"{model.split('.')[0]}.{kind}_{model.split('.')[1]}"
            for model, kinds in spec["collection"].items()
            for kind in kinds
        }
        for dotted in sorted(managed_collection_perms):
            perm = _permission(apps, dotted)
            if dotted in wanted_collection:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=perm
                )
            else:
                GroupCollectionPermission.objects.filter(
                    group=group, collection=root_collection, permission=perm
                ).delete()

        if spec.get("approves_moderation"):
            _make_moderator(apps, group, root_page)
    return created


def _make_moderator(apps, group, root_page):
    """Editors approve what contributors submit for moderation: add them to the approval task of
    the workflow on the root page, creating a one-step workflow if there is none."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    link = WorkflowPage.objects.filter(page=root_page, workflow__active=True).select_related("workflow").first()
    if link is None:
        task_ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name="Editors approval", content_type=task_ct, active=True)
        workflow = Workflow.objects.create(name="Editorial review", active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
        tasks = [task]
    else:
        task_ids = WorkflowTask.objects.filter(workflow=link.workflow).values_list("task_id", flat=True)
        tasks = list(GroupApprovalTask.objects.filter(pk__in=task_ids, active=True))
    for task in tasks:
        task.groups.add(group)


# ---- who holds a role (the one definition; books and jobs ask here) ----------------------
# Added by secbooks for issue 8, break 22: books/models.py and jobs/permissions.py each had
# their own idea of "editor" (one counted Wagtail's Moderators group, one did not).

def editor_groups() -> tuple[str, ...]:
    """Groups whose members are editors: the roles that approve moderation (settings may rename)."""
    default = tuple(name for name, spec in ROLES.items() if spec.get("approves_moderation"))
    return tuple(getattr(settings, "COMMUNIQUE_EDITOR_GROUPS", default))


def author_groups() -> tuple[str, ...]:
    return tuple(getattr(settings, "COMMUNIQUE_AUTHOR_GROUPS", ("Authors",)))


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_editor(user) -> bool:
    if not _active(user):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.groups.filter(name__in=editor_groups()).exists()


def is_author(user) -> bool:
    return _active(user) and user.groups.filter(name__in=author_groups()).exists()


def can_create_books(user) -> bool:
    """Only authors and editors may start books or upload manuscripts, not any signed-in user."""
    return is_editor(user) or is_author(user)

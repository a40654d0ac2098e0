from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.widgets import Button

from . import views
from .permissions import can_build


@hooks.register("register_admin_urls")
def editions_admin_urls():
    return [
        path("editions/issue/<int:page_id>/build/", views.admin_build_issue, name="editions_admin_build_issue"),
    ]


def _is_issue(page):
    from communique.magazine.models import PrintIssuePage

    return page is not None and issubclass(page.specific_class or type(page), PrintIssuePage)


class BuildEditionsMenuItem(ActionMenuItem):
    label = "Build EPUB/PDF editions"
    name = "action-build-editions"
    icon_name = "download"
    order = 90

    def is_shown(self, context):
        page = context.get("page")
        return context.get("view") == "edit" and _is_issue(page) and can_build(context["request"].user, page)

    def get_url(self, parent_context):
        return reverse("editions_admin_build_issue", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def build_editions_menu_item():
    return BuildEditionsMenuItem()


@hooks.register("register_page_header_buttons")
def build_editions_header_button(page, user, view_name, next_url=None):
    if _is_issue(page) and can_build(user, page):
        yield Button(
            "Editions (EPUB/PDF)",
            url=reverse("editions_admin_build_issue", args=[page.pk]),
            icon_name="download",
            priority=75,
        )


@hooks.register("register_page_listing_more_buttons")
def build_editions_listing_button(page, user, next_url=None):
    if _is_issue(page) and can_build(user, page):
        yield Button(
            "Editions (EPUB/PDF)",
            url=reverse("editions_admin_build_issue", args=[page.pk]),
            icon_name="download",
            priority=75,
        )

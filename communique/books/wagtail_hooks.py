"""Editors hear of submitted books in the Wagtail admin: a "Books" menu item with the number
waiting, and a dashboard panel listing them. Both link to the author portal, where editors
review and approve."""
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from wagtail.admin.ui.components import Component

from .models import Book, is_editor


def _submitted():
    return Book.objects.filter(status=Book.Status.SUBMITTED)


class BooksMenuItem(MenuItem):
    def is_shown(self, request):
        return is_editor(request.user)

    def render_component(self, request):
        from wagtail.admin.menu import LinkMenuItemComponent

        waiting = _submitted().count()
        label = f"Books ({waiting} submitted)" if waiting else self.label
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name,
                                     classname=self.classname, attrs=self.attrs)


@hooks.register("register_admin_menu_item")
def books_menu_item():
    return BooksMenuItem("Books", reverse("books:portal"), icon_name="doc-full", order=250)


class EditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_editor(request.user)


@hooks.register("register_admin_menu_item")
def book_authors_menu_item():
    # Inviting authors and typing in exchange rates happen in the portal, where editors review books.
    return EditorsMenuItem("Book authors", reverse("books:invitations"), icon_name="user", order=251)


@hooks.register("register_admin_menu_item")
def exchange_rates_menu_item():
    return EditorsMenuItem("Exchange rates", reverse("books:rates"), icon_name="cogs", order=252)


class SubmittedBooksPanel(Component):
    name = "submitted_books"
    order = 50

    def __init__(self, books):
        self.books = books

    def render_html(self, parent_context=None):
        rows = format_html_join(
            "", '<li><a href="{}">{}</a> — {}</li>',
            ((reverse("books:detail", args=[b.public_id]), b.title, b.owner.get_username() if b.owner else "")
             for b in self.books),
        )
        return format_html(
            '<section class="panel summary nice-padding"><h2>Books submitted for approval</h2><ul>{}</ul>'
            '<p><a href="{}">All books in the author portal</a></p></section>',
            rows, reverse("books:portal"),
        )


@hooks.register("construct_homepage_panels")
def submitted_books_panel(request, panels):
    if not is_editor(request.user):
        return
    books = list(_submitted().select_related("owner")[:10])
    if books:
        panels.append(SubmittedBooksPanel(books))

"""Who may download and who may build. Readers get published, public pages; editors (see
communique.jobs.permissions.is_editor) who may edit the page also get drafts and may build."""
from communique.jobs.permissions import is_editor


def can_edit_page(user, page):
    return bool(user and user.is_authenticated) and page.permissions_for_user(user).can_edit()


def can_build(user, page):
    return is_editor(user) and can_edit_page(user, page)


def can_download(request, page):
    if can_edit_page(request.user, page) and is_editor(request.user):
        return True
    if not page.live:
        return False
    # Private (password, login, group) pages keep their editions as private as their text.
    return all(r.accept_request(request) for r in page.get_view_restrictions())

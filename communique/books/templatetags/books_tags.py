from django import template

register = template.Library()


@register.filter
def is_editor(user) -> bool:
    from communique.core.roles import is_editor as _is_editor  # the one definition of "editor"

    return bool(user and user.is_authenticated and _is_editor(user))

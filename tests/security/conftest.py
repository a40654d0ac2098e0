"""Users in each newsroom role, and a small magazine. Groups come from the data migration
(communique/core/roles.py), so these users have exactly what production users in that group get."""
import pytest
from django.contrib.auth.models import Group


def _user(django_user_model, name, group=None, **extra):
    user = django_user_model.objects.create_user(name, password=f"pw-{name}-123", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def author(django_user_model):
    return _user(django_user_model, "auth_a", "Authors")


@pytest.fixture
def other_author(django_user_model):
    return _user(django_user_model, "auth_b", "Authors")


@pytest.fixture
def contributor(django_user_model):
    return _user(django_user_model, "contrib", "Contributors")


@pytest.fixture
def translator(django_user_model):
    return _user(django_user_model, "transl", "Translators")


@pytest.fixture
def editor(django_user_model):
    return _user(django_user_model, "edna", "Editors")


@pytest.fixture
def mag(db):
    from communique.magazine.tests.factories import build_magazine

    return build_magazine(n_articles=2)


HOSTILE = (
    '<p>ok<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'
    '<iframe src="//evil"></iframe><style>*{}</style></p>'
)


def assert_inert(html: str, where: str):
    """Nothing in `html` may run script: no script/iframe/style elements, no on* handlers, no
    javascript: URLs. Checked on the parsed tree, not by substring, so escaped text is allowed."""
    import lxml.html

    if isinstance(html, bytes):
        html = html.decode("utf-8")
    assert html.strip(), f"{where}: nothing rendered"
    # lxml refuses str input that carries an XML encoding declaration (EPUB XHTML does).
    tree = lxml.html.fromstring(html.encode("utf-8"))
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.split("}")[-1].lower()
        if tag == "script" and el.get("type") == "application/ld+json":
            # Our own structured data (magazine/seo.py): user text inside it must not close it.
            assert "<" not in (el.text or ""), f"{where}: markup inside JSON-LD: {el.text[:200]!r}"
            continue
        assert tag not in {"script", "iframe", "object", "embed"}, f"{where}: <{tag}> survived"
        if tag == "style" and "*{}" in (el.text or ""):
            raise AssertionError(f"{where}: the user's <style> survived")
        for attr, value in el.attrib.items():
            name = attr.split("}")[-1].lower()
            assert not name.startswith("on"), f"{where}: event handler {name}={value!r} on <{tag}>"
            if name in {"href", "src", "action", "formaction", "xlink:href", "data"}:
                assert not value.strip().lower().startswith(("javascript:", "vbscript:", "data:text/html")), (
                    f"{where}: {name}={value!r} on <{tag}>"
                )
    assert "alert(1)</script>" not in html, f"{where}: raw script text survived"

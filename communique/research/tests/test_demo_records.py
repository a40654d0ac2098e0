"""The demo ships confirmed research records, so its entity and timeline pages show something."""
import pytest
from django.core.management import call_command

from communique.research.models import Entity

pytestmark = pytest.mark.django_db


def test_demo_entity_and_timeline_pages_have_content(client):
    from communique.magazine.models import ArticlePage
    from communique.research import services

    call_command("demo", verbosity=0)
    confirmed = set(Entity.objects.filter(status="confirmed").values_list("name", flat=True))
    assert {"Sergey Lavrov", "Shah Mahmood Qureshi", "Shanghai Cooperation Organization",
            "Pakistan Stream Gas Pipeline", "Pakistan", "Russia"} <= confirmed
    # what the worker does on publish (switched off in the test settings)
    seed = ArticlePage.objects.live().get(title="New Beginning in Pakistan-Russia Relations")
    services.extract_page(seed)
    lavrov = Entity.objects.get(kind="person", name="Sergey Lavrov")
    assert lavrov.status == "confirmed" and lavrov.mention_count >= 1
    html = client.get(lavrov.get_absolute_url()).content.decode()
    assert "Foreign Minister of the Russian Federation" in html and seed.title in html
    pakistan, russia = (Entity.objects.get(kind="place", name=n) for n in ("Pakistan", "Russia"))
    timeline = client.get(f"/research/timeline/{pakistan.pk}/{russia.pk}/")
    assert timeline.status_code == 200 and timeline.content.decode().count("<li") >= 3
    # the demo's confirmed names reached the glossary with their Russian rendering
    from communique.translation.models import GlossaryTerm

    assert GlossaryTerm.objects.get(target_language="ru", source="Sergey Lavrov").renderings == ["Сергей Лавров"]
    # building the demo again creates no second record
    call_command("demo", verbosity=0)
    assert Entity.objects.filter(kind="person", name="Sergey Lavrov").count() == 1

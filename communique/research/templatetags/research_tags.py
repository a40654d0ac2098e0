"""`{% load research_tags %}{% key_facts page %}` in an article template: the dates and figures of
the article with their sentences (two queries)."""
from django import template

register = template.Library()


@register.inclusion_tag("research/includes/key_facts.html")
def key_facts(page):
    from communique.research.queries import key_facts as facts

    if page is None or not getattr(page, "pk", None):
        return {"dates": [], "figures": []}
    _source, dates, figures = facts(page)
    return {"dates": dates, "figures": figures}

"""TimelineJS 3 JSON (https://timeline.knightlab.com/docs/json-format.html) for a list of DateFacts."""


from django.utils.html import escape


def _date(value: str) -> dict:
    parts = value.split("-")
    out = {"year": parts[0]}
    if len(parts) > 1:
        out["month"] = parts[1].lstrip("0")
    if len(parts) > 2:
        out["day"] = parts[2].lstrip("0")
    return out


def timeline_json(title: str, facts, url_for=lambda fact: "") -> dict:
    events = []
    for fact in facts:
        event = {
            "start_date": _date(fact.date),
            "text": {"headline": escape(fact.text), "text": escape(fact.sentence)},
            "group": fact.source.title,
        }
        if fact.end_date:
            event["end_date"] = _date(fact.end_date)
        link = url_for(fact)
        if link:
            event["text"]["text"] += f' <a href="{escape(link)}">{escape(fact.source.title)}</a>'
        events.append(event)
    return {"title": {"text": {"headline": title}}, "events": events}

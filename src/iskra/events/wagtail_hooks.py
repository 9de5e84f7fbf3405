from wagtail import hooks

from .models import Talk

PERSON_TALKS = 50


@hooks.register("iskra_person_sections")
def person_talks(person, request):
    """List the person's talks on their page, next to their articles."""
    talks = (
        Talk.objects.filter(speaker=person, event__live=True)
        .select_related("event")
        .order_by("-event__start", "sort_order")[:PERSON_TALKS]
    )
    talks = list(talks)
    return [{"template": "events/includes/person_talks.html", "items": talks}] if talks else []

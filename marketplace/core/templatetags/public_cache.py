"""{% public_generation as gen %}: the generation public fragments vary on (marketplace.core.cache).

Used with Django's {% cache %} tag, always beside the language:
    {% cache 300 home_lists gen LANGUAGE_CODE %}…{% endcache %}
so a publish, unpublish, move or delete shows on the next request, and zh and en never share a fragment."""

from django import template

from marketplace.core import cache

register = template.Library()


@register.simple_tag
def public_generation(*names: str) -> str:
    """The current generation(s), publication by default; e.g. {% public_generation "search" as gen %}."""
    return ".".join(str(cache.generation(name)) for name in (names or (cache.PUBLICATION,)))


@register.simple_tag
def fragment_seconds() -> int:
    return cache.FRAGMENT_SECONDS

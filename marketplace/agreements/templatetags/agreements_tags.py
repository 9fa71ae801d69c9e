"""{% agreements_counter %}: the public counter toward the year's agreements target (home page)."""

from django import template

register = template.Library()


@register.inclusion_tag("agreements/_counter_widget.html")
def agreements_counter() -> dict:
    from marketplace.agreements.dashboard import home_counter

    return {"row": home_counter()}

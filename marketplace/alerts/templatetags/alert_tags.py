from django import template

from marketplace.alerts import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_alert_count(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.unread_count(user) if user is not None else 0

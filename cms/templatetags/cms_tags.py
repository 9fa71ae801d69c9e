"""Small helpers for the site's own templates (header navigation, optional sections)."""

from django import template
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import format_html

register = template.Library()


@register.filter
def is_active_for(item, request) -> bool:
    """True when the current URL is this navigation item's page or below it."""
    url = getattr(item, "url", None)
    path = getattr(request, "path", "")
    return bool(url and url != "/" and path.startswith(url))


@register.simple_tag(takes_context=True)
def include_optional(context, template_name: str, fallback: str = "") -> str:
    """Render a template that another module may or may not provide yet (e.g. the home page's
    upcoming-events block); the fallback text is shown until it exists."""
    try:
        tpl = get_template(template_name)
    except TemplateDoesNotExist:
        return format_html('<p class="muted">{}</p>', fallback) if fallback else ""
    return tpl.render(context.flatten(), context.get("request"))


@register.filter
def of_type(pages, class_name: str):
    """The first page in a list whose specific type is named class_name (e.g. the news index
    among the navigation items), or None."""
    for page in pages or []:
        cls = page.specific_class
        if cls is not None and cls.__name__ == class_name:
            return page
    return None

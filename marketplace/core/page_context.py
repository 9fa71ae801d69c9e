"""What a Wagtail page shows beyond its own fields (lists, forms, the visitor's own rights) is read by its app's
selectors. The page model cannot import them (selectors import the models: an import cycle), so each app registers
one context function per page type from its ready(), and the page's get_context asks for it here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

ContextFunction = Callable[[Any, HttpRequest], dict[str, Any]]
_CONTEXT: dict[type, ContextFunction] = {}


def page_context(model: type) -> Callable[[ContextFunction], ContextFunction]:
    """Decorator: `function(page, request) -> dict` adds to the context of `model`'s pages (and its subclasses')."""

    def register(function: ContextFunction) -> ContextFunction:
        _CONTEXT[model] = function
        return function

    return register


def context_for(page: Any, request: HttpRequest) -> dict[str, Any]:
    """The registered context of the page's own type, or of the nearest base type that has one."""
    for cls in type(page).__mro__:
        function = _CONTEXT.get(cls)
        if function is not None:
            return function(page, request)
    return {}

"""The machinery of the authorization matrix: walk the URLconf, state an expectation compactly, check a
response against it. The expectations themselves are data in test_authorization_matrix.py."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from .world import ROLES, World

# Expectations other than a plain status code.
LOGIN = "302 to the sign-in page"
ADMIN_LOGIN = "302 to an admin sign-in page"
REDIRECT = "302 somewhere other than a sign-in page"
DENY = "403 or 404"
NOT_SHOWN = "403/404, or 200 without the row's secret"
SHOWN = "200 showing the row's secret"


@dataclass(frozen=True)
class Pattern:
    key: str     # "namespace:name", or the route for an unnamed pattern
    route: str   # the full route, prefixes joined


def url_patterns() -> list[Pattern]:
    """Every pattern reachable from the root URLconf, resolvers walked recursively."""

    def walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry, route, namespaces + ((entry.namespace,) if entry.namespace else ()))
            elif isinstance(entry, URLPattern):
                key = ":".join(namespaces + (entry.name,)) if entry.name else route
                yield Pattern(key, route)

    return list(walk(get_resolver(), "", ()))


@dataclass(frozen=True)
class Row:
    """One decided check: the URL named `name`, filled with `kwargs(world)`, fetched by each role."""

    name: str
    expect: dict[str, object]
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "GET"
    label: str = ""                                      # tells apart rows of one URL name
    wrong: dict[str, str] = field(default_factory=dict)  # role -> why today's code fails the cell
    secret: Callable[[World], str] | None = None         # text SHOWN / NOT_SHOWN look for
    path: Callable[[World], str] | None = None           # a literal path, for unnamed patterns
    data: Callable[[World], dict] | None = None          # a POST body, where an empty one proves nothing

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name


def row(name: str, everyone=None, *, signed_in=None, kwargs=None, method: str = "GET", label: str = "",
        wrong: dict[str, str] | None = None, secret=None, path=None, data=None, **per_role) -> Row:
    """`everyone` applies to every role; `signed_in` to every role but anonymous (who then gets LOGIN);
    keyword arguments named after roles override both."""
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles in row {name}: {unknown}"
    expect = {}
    for role in ROLES:
        if role in per_role:
            expect[role] = per_role[role]
        elif signed_in is not None:
            expect[role] = LOGIN if role == "anonymous" else signed_in
        else:
            expect[role] = everyone
        assert expect[role] is not None, f"row {name}: no expectation for {role}"
    return Row(name, expect, kwargs or (lambda w: {}), method, label, wrong or {}, secret, path, data)


def describe(response) -> str:
    location = response.get("Location", "")
    return f"{response.status_code}{' → ' + location if location else ''}"


def meets(response, expected, secret: str | None) -> bool:
    status, location = response.status_code, response.get("Location", "")
    if expected == LOGIN:
        return status == 302 and location.startswith("/accounts/login/")
    if expected == ADMIN_LOGIN:
        return status == 302 and location.split("?")[0] in ("/admin/login/", "/django-admin/login/")
    if expected == REDIRECT:
        return status == 302 and "/login/" not in location.split("?")[0]
    if expected == DENY:
        return status in (403, 404)
    body = _body(response).decode(errors="replace") if status == 200 else ""
    if expected == SHOWN:
        return status == 200 and secret in body
    if expected == NOT_SHOWN:
        return status in (403, 404) or (status == 200 and secret not in body)
    return status == expected


# --- Sample values, to reach every admin pattern without a real object behind it -----------------

_CONVERTER_SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid": str(uuid.UUID(int=1))}


def sample_path(pattern: Pattern) -> str | None:
    """A path that the pattern matches, with placeholder values; None if none was found."""

    def group_value(match: re.Match) -> str:
        body = match.group(2)
        if re.fullmatch(r"[\w|]+", body):  # an alternation of literal words: take the first
            return body.split("|")[0]
        for candidate in ("1", "x", "a-b", "x.y"):
            if re.fullmatch(body, candidate):
                return candidate
        return "x"

    route = re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)", group_value, pattern.route)
    route = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: _CONVERTER_SAMPLES.get(m.group(1) or "str", "x"), route)
    route = route.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + route


def _body(response) -> bytes:
    # File downloads stream their content.
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content

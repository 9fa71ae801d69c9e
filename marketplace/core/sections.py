"""The site's sections: one index page per area (成果, 需求, 活动, 揭榜挂帅...) under the home page.

Each app registers its index page with its title, slug and intro (apps.py ready()); cms registers how to find the
home page and decides the order of the menu (cms.site_setup). So an app can create its own section on first use
without importing cms, which sits above every app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.models import Page


@dataclass(frozen=True)
class Section:
    title: str  # stored in Chinese, marked with gettext_noop so the English catalog holds its English
    slug: str
    intro: str


_SECTIONS: dict[type[Page], Section] = {}
_home_finder: list[Callable[[], Page | None]] = []
_site_builder: list[Callable[[], Page]] = []


def register_section(model: type[Page], *, title: str, slug: str, intro: str) -> None:
    _SECTIONS[model] = Section(title=title, slug=slug, intro=intro)


def register_home(finder: Callable[[], Page | None]) -> None:
    """cms tells where sections go: `finder()` returns the home page, or None before the site is set up."""
    _home_finder[:] = [finder]


def register_site_builder(builder: Callable[[], Page]) -> None:
    """cms tells how to build the whole skeleton (home page, every section, the Site) on an empty database."""
    _site_builder[:] = [builder]


def ensure_site() -> Page:
    """The home page, with the site's skeleton built first when the database is empty (a command such as the
    listing import may be the first thing run on a new site). Returns the home page."""
    if not _site_builder:
        raise ValidationError(_("站点尚未建立首页。"))
    return _site_builder[0]()


def section_of(model: type[Page]) -> Section:
    return _SECTIONS[model]


def ensure_section(model: type[Page]) -> Page:
    """The section's index page under the home page, created and published once."""
    index = model.objects.first()
    if index is not None:
        return index
    home = _home_finder[0]() if _home_finder else None
    if home is None:
        raise ValidationError(_("站点尚未建立首页。"))
    section = section_of(model)
    index = model(title=section.title, slug=section.slug, intro=section.intro, show_in_menus=True)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index

"""The work plan's 中试基地 line: trial runs done per base and per county, added to the dashboard and the
monthly report through the registry in agreements.reports (which never imports this app)."""

from django.utils.translation import gettext as _

from marketplace.agreements.reports import Section, dashboard_section

from . import selectors


@dashboard_section
def pilot_run_sections(year: int) -> list[Section]:
    by_base = selectors.pilot_runs_by_base(year)
    by_county = selectors.pilot_runs_by_county(year)
    return [
        Section(_("%(year)d年中试基地服务：按基地完成的中试") % {"year": year},
                [_("中试基地"), _("县(市、区)"), _("完成中试次数")],
                [[r.base, r.county, r.runs] for r in by_base]),
        Section(_("%(year)d年中试基地服务：按县(市、区)完成的中试") % {"year": year},
                [_("县(市、区)"), _("完成中试次数")],
                [[county, n] for county, n in by_county]),
    ]

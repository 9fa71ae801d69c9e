"""The year 2023 of commissioners and records, worked out by hand (shared by the target and county tests)."""

from datetime import date

import pytest

from marketplace.programs import services
from marketplace.programs.models import RecordKind
from tests.factories import county

from .builders import approved, approved_record, cast, confirmed, proposed, record_data


@pytest.fixture
def year_2023():
    """Worked out by hand.
    Commissioners approved in 2023: 15 Jan (滨城区), 10 Mar and 20 Mar (博兴县) -> 3; one approved on
      31 Dec 2022 and one on 1 Jan 2024 count elsewhere; one confirmed (not approved), one proposed and one
      rejected count nowhere.
    Reserve projects approved in 2023: 1 Feb (邹平市), 5 Mar (滨城区) -> 2; one proposed does not count.
    Major key results approved in 2023: 30 Jun (无棣县) -> 1; one rejected does not count."""
    c = cast()
    terms = (dict(term_start=date(2010 + i, 1, 1), term_end=date(2010 + i, 12, 31)) for i in range(20))
    approved(c, on=date(2023, 1, 15), county=county("bincheng"), **next(terms))
    approved(c, on=date(2023, 3, 10), county=county("boxing"), **next(terms))
    approved(c, on=date(2023, 3, 20), county=county("boxing"), **next(terms))
    approved(c, on=date(2022, 12, 31), **next(terms))
    approved(c, on=date(2024, 1, 1), **next(terms))
    confirmed(c, **next(terms))
    proposed(c, **next(terms))
    services.decide_assignment(user=c.bureau, assignment=confirmed(c, **next(terms)), approve=False, note="材料不全")
    approved_record(c.bureau, c.enterprise, date(2023, 2, 1), county=county("zouping"))
    approved_record(c.bureau, c.enterprise, date(2023, 3, 5), county=county("bincheng"))
    services.enter_record(user=c.enterprise_member, data=record_data(c.enterprise))
    approved_record(c.bureau, c.institution, date(2023, 6, 30), RecordKind.KEY_RESULT, county=county("wudi"))
    rejected = services.enter_record(user=c.academic_member, data=record_data(c.institution, RecordKind.KEY_RESULT))
    services.decide_record(user=c.bureau, record=rejected, approve=False, note="未达到重大关键技术标准")
    return c

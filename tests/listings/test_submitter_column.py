"""Wagtail's moderation lists name who submitted a listing. People sign up with one name and an e-mail
(no first/last name): the reviewer sees that name, or the e-mail of an account without one, never a
blank cell."""

import re

import pytest

from accounts.models import User
from marketplace.listings import services
from marketplace.listings.models import DemandPage
from tests.accounts.signup import sign_up_and_confirm
from tests.factories import demand_data, make_org, make_user

pytestmark = pytest.mark.django_db


def _submitter_cell(html: str, page) -> str:
    """The dashboard's "awaiting your review" row of this page; its submitter is the cell after the tasks."""
    row = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*/admin/pages/{page.pk}/edit/(?:(?!</tr>).)*</tr>', html, re.S)
    assert row, "the page is listed for moderation"
    after_tasks = row.group(0).split('class="tasks"', 1)[1]
    return re.sub(r"<[^>]+>|\s+", " ", re.findall(r"<td>(.*?)</td>", after_tasks, re.S)[0]).strip()


def _submit_demand(user: User) -> DemandPage:
    org = make_org("enterprise", members=[user])
    return services.create_listing(user=user, model=DemandPage, data=demand_data(org))


def test_moderators_see_the_name_given_at_sign_up_as_submitter(site, client, bureau_user):
    sign_up_and_confirm(client, "li.xiaomei@example.com", name="李晓梅")
    newcomer = User.objects.get(email="li.xiaomei@example.com")
    assert (newcomer.first_name, newcomer.last_name) == ("", "")
    page = _submit_demand(newcomer)

    client.force_login(bureau_user)
    html = client.get("/admin/").content.decode()
    assert _submitter_cell(html, page) == "李晓梅"


def test_an_account_without_a_name_is_shown_by_its_email(site, client, bureau_user):
    nameless = make_user("enterprise", email="no-name@example.com")
    assert nameless.display_name == ""
    page = _submit_demand(nameless)

    client.force_login(bureau_user)
    assert _submitter_cell(client.get("/admin/").content.decode(), page) == "no-name@example.com"

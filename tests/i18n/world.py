"""A small site both language tests use: one listing of each kind, an event, a challenge, an enterprise
member and bureau staff, and the list of texts the test wrote (user content, shown as written)."""

import re

from django.db import models

from accounts.privacy.masking import mask_name
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from tests.challenges.builders import published_challenge
from tests.cms.builders import publish_listing
from tests.events.builders import make_event
from tests.factories import achievement_data, demand_data, make_org, make_user, pilot_base_data

HAN = re.compile(r"[\u3400-\u9fff]")
PASSWORD = "Str0ng-pass!"  # tests.factories.make_user's


def user_texts(*objects) -> list[str]:
    """Every text the test wrote into these objects (and the lines and list items inside it)."""
    texts = set()
    for obj in objects:
        for f in obj._meta.concrete_fields:
            if isinstance(f, (models.CharField, models.TextField)):
                value = getattr(obj, f.attname) or ""
                texts.add(value)
                texts.update(re.split(r"[\n,，、；;]+", value))
                if f.name == "contact_name":
                    texts.add(mask_name(value))  # what visitors see of it
    return sorted((t.strip() for t in texts if HAN.search(t or "")), key=len, reverse=True)


def build_world() -> dict:
    """A small site: one listing of each kind, an event, a challenge, an enterprise member, bureau staff."""
    member = make_user("enterprise")
    enterprise = make_org("enterprise", name="滨州轻量化汽车部件有限公司", members=[member])
    university = make_org("university", name="滨州学院")
    achievement = publish_listing(AchievementPage, achievement_data(university))
    demand = publish_listing(DemandPage, demand_data(enterprise, contact_name="张伟"))
    base = publish_listing(PilotBasePage, pilot_base_data(university))
    event = make_event()
    challenge = published_challenge(member, enterprise)
    content = user_texts(enterprise, university, achievement, demand, base, event, challenge,
                         *event.ticket_types.all())
    return {"member": member, "bureau": make_user("bureau"), "achievement": achievement, "demand": demand,
            "event": event, "challenge": challenge, "content": content}

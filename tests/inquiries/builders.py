"""The people an inquiry concerns, as plain builders: a university that published a result, an
enterprise that asks about it, an agent, an unrelated organization, bureau staff."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Organization, User
from marketplace.inquiries import services
from marketplace.inquiries.models import Conversation, Inquiry
from marketplace.listings.models import AchievementPage
from tests.cms.builders import publish_listing
from tests.factories import achievement_data, make_org, make_user

PASSWORD = "Str0ng-pass!"


def verified_org(kind: str, user: User, name: str | None = None) -> Organization:
    org = make_org(kind, name=name, members=[user])
    org.verified = True
    org.save(update_fields=["verified"])
    return org


@dataclass
class World:
    owner: User  # member of the university that published the result (the recipient)
    university: Organization
    asker: User  # member of the enterprise that asks (the sender)
    enterprise: Organization
    agent: User
    outsider: User  # member of another verified organization
    bureau: User
    listing: AchievementPage

    def user(self, role: str) -> User | None:
        return {"sender": self.asker, "recipient": self.owner, "agent": self.agent, "outsider": self.outsider,
                "bureau": self.bureau, "anonymous": None}[role]


def world() -> World:
    owner = make_user("university", email="tto@bzu.example.com", password=PASSWORD)
    university = verified_org("university", owner, name="滨州学院")
    asker = make_user("enterprise", email="cto@lightcar.example.com", password=PASSWORD)
    enterprise = verified_org("enterprise", asker, name="滨州轻量化汽车部件有限公司")
    outsider = make_user("enterprise")
    verified_org("enterprise", outsider, name="邹平铝业有限公司")
    listing = publish_listing(AchievementPage, achievement_data(university))
    return World(owner=owner, university=university, asker=asker, enterprise=enterprise,
                 agent=make_user("agent", email="broker@example.com", password=PASSWORD), outsider=outsider,
                 bureau=make_user("bureau"), listing=listing)


def send(w: World, **overrides) -> Inquiry:
    fields = {"need": "电池托盘减重20%的结构设计",
              "message": "我司年产电池托盘10万套，希望了解许可费用与技术支持方式。"}
    fields.update(overrides)
    return services.send_inquiry(user=w.asker, listing=w.listing, sender_org=w.enterprise, **fields)


def conversation(w: World, *, with_agent: bool = True) -> Conversation:
    convo = services.accept_inquiry(user=w.owner, inquiry=send(w))
    if with_agent:
        services.invite_agent(user=w.owner, conversation=convo, agent=w.agent)
    return convo

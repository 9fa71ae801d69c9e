from django.db import models
from django.utils.translation import gettext_lazy as _


class TransferMode(models.TextChoices):
    ASSIGNMENT = "assignment", _("转让")
    LICENSE = "license", _("许可")
    EQUITY = "equity", _("作价入股")
    CO_DEVELOPMENT = "co_development", _("合作开发")
    SERVICE = "service", _("技术服务")


class IPType(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("发明专利")
    UTILITY_MODEL = "utility_model", _("实用新型")
    DESIGN = "design", _("外观设计")
    SOFTWARE = "software", _("软件著作权")
    PLANT_VARIETY = "plant_variety", _("植物新品种")
    KNOW_HOW = "know_how", _("技术秘密")


TRL_CHOICES = [(n, f"TRL {n}") for n in range(1, 10)]


class MaturityStage(models.TextChoices):
    LAB = "lab", _("实验室")
    BENCH = "bench", _("小试")
    PILOT = "pilot", _("中试")
    INDUSTRIAL = "industrial", _("产业化")


def stage_for_trl(trl: int | None) -> str | None:
    """TRL 1-3 lab, 4-5 bench, 6-7 pilot, 8-9 industrialised."""
    if trl is None:
        return None
    if trl <= 3:
        return MaturityStage.LAB
    if trl <= 5:
        return MaturityStage.BENCH
    if trl <= 7:
        return MaturityStage.PILOT
    return MaturityStage.INDUSTRIAL


def mode_labels(codes: list[str]) -> list[str]:
    labels = dict(TransferMode.choices)
    return [str(labels.get(code, code)) for code in codes]

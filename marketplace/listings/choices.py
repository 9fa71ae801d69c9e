from django.db import models
from django.utils.translation import gettext_lazy as _


class TransferMode(models.TextChoices):
    ASSIGNMENT = "assignment", _("转让 Assignment")
    LICENSE = "license", _("许可 License")
    EQUITY = "equity", _("作价入股 Equity")
    CO_DEVELOPMENT = "co_development", _("合作开发 Co-development")
    SERVICE = "service", _("技术服务 Technical service")


class IPType(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("发明专利 Invention patent")
    UTILITY_MODEL = "utility_model", _("实用新型 Utility model")
    DESIGN = "design", _("外观设计 Design patent")
    SOFTWARE = "software", _("软件著作权 Software copyright")
    PLANT_VARIETY = "plant_variety", _("植物新品种 Plant variety")
    KNOW_HOW = "know_how", _("技术秘密 Know-how")


TRL_CHOICES = [(n, f"TRL {n}") for n in range(1, 10)]


class MaturityStage(models.TextChoices):
    LAB = "lab", _("实验室 Lab")
    BENCH = "bench", _("小试 Bench scale")
    PILOT = "pilot", _("中试 Pilot scale")
    INDUSTRIAL = "industrial", _("产业化 Industrialised")


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

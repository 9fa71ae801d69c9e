from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("网站内容")

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from marketplace.core.sections import register_home, register_section, register_site_builder

        from .models import HomePage, NewsIndexPage, PolicyIndexPage
        from .site_setup import ensure_site_structure

        register_home(HomePage.objects.first)
        register_site_builder(ensure_site_structure)
        register_section(PolicyIndexPage, title=gettext_noop("政策文件"), slug="policies",
                         intro=gettext_noop("科技政策"))
        register_section(NewsIndexPage, title=gettext_noop("新闻动态"), slug="news",
                         intro=gettext_noop("平台与全市科技工作动态"))

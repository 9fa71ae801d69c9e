import operator
from functools import partial

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from marketplace.core.cache import public


class HomePage(Page):
    intro = models.TextField(_("平台简介"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    def route(self, request, path_components):
        """Wagtail walks the tree one level per URL segment (two queries a level); no page type here
        overrides route(), so the page is found by its url_path instead: its type and id from the shared
        cache (renewed by any publication), then one query. Anything else goes Wagtail's way."""
        if path_components:
            page = self._page_at(self.url_path + "/".join(path_components) + "/")
            if page is not None and page.live:
                return page.route(request, [])
        return super().route(request, path_components)

    @staticmethod
    def _page_at(url_path: str):
        from django.contrib.contenttypes.models import ContentType
        from django.core.cache import cache

        from marketplace.core.cache import public_key

        key = public_key("route", url_path)
        found = cache.get(key)
        if found is None:
            row = Page.objects.filter(url_path=url_path).values_list("content_type_id", "pk").first()
            found = row or ()
            cache.set(key, found, 3600)
        if not found:
            return None
        model = ContentType.objects.get_for_id(found[0]).model_class()
        return model.objects.filter(pk=found[1]).first() if model else None

    def get_context(self, request, *args, **kwargs):
        from marketplace.events.selectors import upcoming_events
        from marketplace.listings.selectors import latest_public

        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template's cached fragments (marketplace.core.cache) read these only on a miss.
        latest = SimpleLazyObject(lambda: latest_public(limit=6))
        for key in ("achievements", "demands", "pilot_bases"):
            context[key] = SimpleLazyObject(partial(operator.getitem, latest, key))
        context["news"] = SimpleLazyObject(lambda: list(public(NewsPage.objects.live()).order_by("-date")[:5]))
        context["policies"] = SimpleLazyObject(
            lambda: list(public(PolicyPage.objects.live()).order_by("-date")[:5]))
        context["upcoming_events"] = SimpleLazyObject(lambda: upcoming_events(limit=4))
        return context


class ArticleIndexPage(Page):
    intro = models.TextField(_("简介"), blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    article_model: type[Page]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = self.article_model.objects.child_of(self).live().public().order_by("-date")
        context["page_obj"] = Paginator(articles, 15).get_page(request.GET.get("page"))
        return context


class ArticlePage(Page):
    date = models.DateField(_("发布日期"), default=timezone.localdate)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = RichTextField(_("正文"))
    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    class Meta:
        abstract = True


class NewsIndexPage(ArticleIndexPage):
    subpage_types = ["cms.NewsPage"]
    max_count = 1
    template = "cms/article_index_page.html"

    class Meta:
        verbose_name = _("新闻动态列表")

    @property
    def article_model(self):
        return NewsPage


class NewsPage(ArticlePage):
    parent_page_types = ["cms.NewsIndexPage"]
    template = "cms/article_page.html"

    class Meta:
        verbose_name = _("新闻")


class PolicyIndexPage(ArticleIndexPage):
    subpage_types = ["cms.PolicyPage"]
    max_count = 1
    template = "cms/article_index_page.html"

    class Meta:
        verbose_name = _("政策列表")

    @property
    def article_model(self):
        return PolicyPage


class PolicyPage(ArticlePage):
    issuer = models.CharField(_("发布部门"), max_length=100, blank=True)
    document_number = models.CharField(_("政策文号"), max_length=60, blank=True)
    content_panels = ArticlePage.content_panels + [FieldPanel("issuer"), FieldPanel("document_number")]
    parent_page_types = ["cms.PolicyIndexPage"]
    template = "cms/article_page.html"

    class Meta:
        verbose_name = _("政策")


@register_setting
class SiteContact(BaseSiteSetting):
    hotline = models.CharField(_("服务热线"), max_length=40, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    icp = models.CharField(_("备案号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("联系信息")

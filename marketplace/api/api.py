"""The partner API (/api/v1/): django-ninja builds the OpenAPI 3 document from the schemas and signatures.
The two older match endpoints (search.api_urls) are still served beside it, unchanged."""

from ninja import NinjaAPI

from . import errors
from .common import KeyAuth
from .listings_api import router as listings
from .other_api import agreements, events, public

api = NinjaAPI(
    title="滨州技术交易公共服务平台 开放接口",
    version="1",
    description=("合作平台以机构的接口密钥（请求头 X-API-Key）调用。错误统一为 JSON："
                 "{code, message, message_en, errors}。详见 docs/api.md。"),
    auth=KeyAuth(),
    urls_namespace="partner_api",
)
errors.install(api)
api.add_router("/listings", listings)
api.add_router("/events", events)
api.add_router("/agreements", agreements)
api.add_router("/", public)

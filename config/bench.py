"""/bench/bare/: the smallest Django view behind the full middleware stack, served only when DJANGO_BENCH=1.

bench/web_bench.py measures every page beside it in the same run; the ratio of a page's requests per second
to this view's is what the targets speak of (the machine's own speed and load cancel out)."""

from django.http import HttpRequest, HttpResponse


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")

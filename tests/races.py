"""Several browsers posting at the same moment, for the duplicate-post tests: each thread has its own
test client (its own session) and its own database connection, and all of them wait at a barrier so
the posts really overlap. Needs a transactional test (pytest.mark.django_db(transaction=True))."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db import close_old_connections, connections
from django.test import Client


@dataclass
class Answer:
    status: int
    location: str
    body: str


def post_at_once(user, url: str, posts: list[dict]) -> list[Answer | BaseException]:
    """POST each of ``posts`` to ``url`` as ``user``, all at once; the answers in the same order. A
    request that blows up (a 500) comes back as its exception."""
    return posts_at_once([(user, url, data) for data in posts])


def posts_at_once(posts: list[tuple]) -> list[Answer | BaseException]:
    """Each (user, url, data) posted at the same moment; the answers in the same order."""
    barrier = threading.Barrier(len(posts))
    answers: list[Answer | BaseException | None] = [None] * len(posts)

    def run(i: int, user, url: str, data: dict) -> None:
        close_old_connections()
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=60)
            response = client.post(url, data)
            answers[i] = Answer(response.status_code, response.get("Location", ""),
                                response.content.decode(errors="replace"))
        except BaseException as error:  # noqa: BLE001 - each thread's outcome is inspected by the test
            answers[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a posting thread hung"
    return answers  # type: ignore[return-value]


def redirects(answers: list) -> set[str]:
    """The redirect targets, after checking that every answer is a redirect (no error page, no 500)."""
    assert all(isinstance(a, Answer) and a.status == 302 for a in answers), answers
    return {a.location for a in answers}

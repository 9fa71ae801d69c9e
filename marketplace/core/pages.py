"""Placing pages that members create on the front end (listings, events, challenges) into the Wagtail
tree: validated first, added as a draft, then handed to the moderation workflow."""

from django.contrib.auth.base_user import AbstractBaseUser
from wagtail.models import Page, WorkflowState

# Tree fields Wagtail manages itself; excluded when validating a page that is not in the tree yet.
TREE_FIELDS = ["path", "depth", "url_path", "slug", "numchild", "draft_title", "live_revision",
               "latest_revision", "locale", "translation_key", "content_type", "owner"]


def place_new_page(*, parent: Page, page: Page, user: AbstractBaseUser, submit: bool = True) -> None:
    """Validate a new page (its ``validate_before_submit``), add it under its parent as a draft, and
    submit it for moderation (or only save its first revision)."""
    page.validate_before_submit()
    parent.add_child(instance=page)
    if submit:
        submit_for_moderation(page, user)
    else:
        page.save_revision(user=user)


def submit_for_moderation(page: Page, user: AbstractBaseUser) -> WorkflowState | None:
    """Save the page's current state as a revision and (re)start its moderation workflow."""
    page.save_revision(user=user)
    current = page.current_workflow_state
    if current is not None:
        current.cancel(user=user)
    workflow = page.get_workflow()
    if workflow is None:
        return None
    return workflow.start(page, user)

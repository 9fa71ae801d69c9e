"""Models of the base app; each lives in its own module."""

from .submissions import FormSubmission

__all__ = ["FormSubmission"]

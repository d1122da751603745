"""Template tags of the editors' desk (the admin)."""

from django import template

from articles.services.review import pending_review_counts as pending_counts

register = template.Library()


@register.simple_tag
def pending_review_counts() -> dict[str, int]:
    """{"figures": N, "events": M}: what still waits for an editor's check."""
    return pending_counts()

"""The editors' review: what waits to be checked, and the one writer of a review decision."""

from django.db import transaction
from django.db.models import QuerySet

from articles.models import Figure, PurchaseEvent, ReviewStatus


def pending_review_counts() -> dict[str, int]:
    """How many figures and events still wait for an editor's check."""
    return {
        "figures": Figure.objects.filter(review_status=ReviewStatus.PENDING).count(),
        "events": PurchaseEvent.objects.filter(review_status=ReviewStatus.PENDING).count(),
    }


def items_review(*, items: QuerySet, status: str) -> int:
    """Set the review status of figures or events; return how many changed.

    Only `review_status` is written: a judged item is editorial through `is_editorial`, so `edited` keeps
    meaning "its content was corrected". Each row is saved on its own so that its history records the
    decision, all in one transaction so that a failure leaves the batch untouched.
    """
    if status not in ReviewStatus.values:
        raise ValueError(f"unknown review status {status!r}")
    changed = 0
    with transaction.atomic():
        # The admin's queryset may carry joins and DISTINCT from its filters: re-select by primary key.
        ids = list(items.values_list("pk", flat=True))
        for item in items.model.objects.filter(pk__in=ids).exclude(review_status=status):
            item.review_status = status
            item.save(update_fields=["review_status", "updated_at"])
            changed += 1
    return changed

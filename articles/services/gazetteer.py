"""The editors' gazetteer: merging duplicate companies or chips, and finding the articles an alias touches."""

from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q, QuerySet

from articles.models import Article, Chip, Company, Mention, PurchaseEvent, alias_lines
from articles.search_sync import search_enqueue


class MergeError(Exception):
    """A merge that cannot be done as asked; the message says why, in French, for the editor."""


def merged_aliases(keep, remove) -> str:
    """The kept aliases, then the removed entry's name and aliases, without repeating the kept name."""
    names = [*keep.alias_list, remove.name, *remove.alias_list]
    seen = {keep.name.casefold()}
    aliases = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            aliases.append(name)
    return "\n".join(alias_lines("\n".join(aliases)))


def company_merge(*, keep: Company, remove: Company) -> Company:
    """Move every event, mention and chip of `remove` to `keep`, keep its names as aliases, delete it."""
    if keep.pk == remove.pk:
        raise MergeError("Une entreprise ne peut pas être fusionnée avec elle-même.")
    with transaction.atomic():
        articles = {
            *PurchaseEvent.objects.filter(Q(buyers=remove) | Q(seller=remove)).values_list(
                "article_id", flat=True
            ),
            *Mention.objects.filter(company=remove).values_list("article_id", flat=True),
        }
        for event in PurchaseEvent.objects.filter(buyers=remove):
            event.buyers.add(keep)
            event.buyers.remove(remove)
        PurchaseEvent.objects.filter(seller=remove).update(seller=keep)
        Mention.objects.filter(company=remove).update(company=keep, name=keep.name)
        Chip.objects.filter(maker=remove).update(maker=keep)
        keep.aliases = merged_aliases(keep, remove)
        keep.country = keep.country or remove.country
        keep.description = keep.description or remove.description
        keep.save()
        remove.delete()
        # update() sends no signal: the articles whose entry names the removed company are queued here.
        search_enqueue(articles)
    return keep


def chip_merge(*, keep: Chip, remove: Chip) -> Chip:
    """Move every event, mention and variant of `remove` to `keep`, keep its names as aliases, delete it."""
    if keep.pk == remove.pk:
        raise MergeError("Une puce ne peut pas être fusionnée avec elle-même.")
    with transaction.atomic():
        articles = {
            *PurchaseEvent.objects.filter(chip=remove).values_list("article_id", flat=True),
            *Mention.objects.filter(chip=remove).values_list("article_id", flat=True),
        }
        PurchaseEvent.objects.filter(chip=remove).update(chip=keep)
        Mention.objects.filter(chip=remove).update(chip=keep, name=keep.name)
        Chip.objects.filter(variant_of=remove).exclude(pk=keep.pk).update(variant_of=keep)
        if keep.variant_of_id == remove.pk:
            # The kept chip was a variant of the removed one: it inherits the removed chip's own parent.
            keep.variant_of_id = remove.variant_of_id if remove.variant_of_id != keep.pk else None
        keep.aliases = merged_aliases(keep, remove)
        keep.maker_id = keep.maker_id or remove.maker_id
        keep.family = keep.family or remove.family
        keep.notes = keep.notes or remove.notes
        keep.save()
        remove.delete()
        search_enqueue(articles)
    return keep


def changed_names(before: list[str], after: list[str]) -> list[str]:
    """The names added or dropped by an edit of a name or its aliases, compared without case."""
    old = {name.casefold(): name for name in before}
    new = {name.casefold(): name for name in after}
    return [new.get(key) or old[key] for key in sorted(old.keys() ^ new.keys())]


def articles_naming(names: list[str]) -> QuerySet:
    """Articles whose text contains any of these names (case-insensitive), newest first."""
    if not names:
        return Article.objects.none()
    return Article.objects.filter(reduce(or_, (Q(body__icontains=name) for name in names))).newest_first()

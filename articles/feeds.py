"""Atom feeds: new articles, and new purchase events per company and per chip.

Feed readers render summaries as HTML, so every piece of article text is escaped here: a body that contains
markup arrives in the reader as visible text, never as live HTML.
"""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Chip, Company, PurchaseEvent
from articles.templatetags.archive import event_period, figure_value, published_display

FEED_ITEMS = 50
SUMMARY_CHARS = 400


def _aware(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Archive des puces IA — nouveaux articles")
    subtitle = gettext_lazy("Les derniers articles de presse ajoutés à l’archive.")

    def link(self):
        return reverse("articles:article-list")

    def items(self):
        return Article.objects.select_related("publication").order_by("-created_at", "-pk")[:FEED_ITEMS]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        source = ", ".join(filter(None, [str(article.publication or ""), published_display(article)]))
        summary = article.body[:SUMMARY_CHARS] + ("…" if len(article.body) > SUMMARY_CHARS else "")
        return f"<p>{escape(source)}</p><p>{escape(summary)}</p>"

    def item_pubdate(self, article):
        return _aware(article.published_on) if article.published_on else article.created_at

    def item_updateddate(self, article):
        return article.updated_at


def _company_events(company) -> Q:
    return Q(buyers=company) | Q(seller=company)


def _chip_events(chip) -> Q:
    return Q(chip=chip)


class EventsFeed(Feed):
    """New events concerning one company or one chip, as named by the URL's slug."""

    feed_type = Atom1Feed

    def __init__(self, *, model, event_filter):
        super().__init__()
        self.model = model
        self.event_filter = event_filter

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, obj):
        return _("Archive des puces IA — événements : %(name)s") % {"name": obj.name}

    def subtitle(self, obj):
        return _("Achats, commandes, stocks et autorisations de puces rapportés pour %(name)s.") % {
            "name": obj.name
        }

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        events = PurchaseEvent.objects.for_display().filter(self.event_filter(obj)).distinct()
        return events.order_by("-created_at", "-pk")[:FEED_ITEMS]

    def item_title(self, event):
        parts = [event.get_type_display().capitalize()]
        buyers = ", ".join(buyer.name for buyer in event.buyers.all())
        parts += [part for part in (buyers, event.chip.name if event.chip else "") if part]
        for figure in (event.quantity_figure, event.amount_figure):
            if figure is not None:
                parts.append(figure_value(figure))
        title = " — ".join(parts)
        return f"{title} ({_('démenti')})" if event.status == PurchaseEvent.Status.DENIED else title

    def item_description(self, event):
        article = event.article
        source = ", ".join(filter(None, [str(article.publication or ""), published_display(article)]))
        period = event_period(event)
        lines = [f"<blockquote>« {escape(event.sentence.text)} »</blockquote>"]
        lines.append(f"<p>{escape(source)} — {escape(article.title)}</p>")
        if period:
            lines.append(f"<p>{escape(_('Période'))} : {escape(period)}</p>")
        lines.append(f"<p>{escape(event.get_review_status_display())}</p>")
        return "".join(lines)

    def item_link(self, event):
        # Built from the event's own article, which is loaded already; the sentence's is not.
        return f"{event.article.get_absolute_url()}#s-{event.sentence.index}"

    def item_guid(self, event):
        # Several events can share a sentence, so the link alone would not tell feed readers they differ.
        return f"tag:archive-puces-ia,2026:evenement/{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.created_at

    def item_updateddate(self, event):
        return event.updated_at


company_events_feed = EventsFeed(model=Company, event_filter=_company_events)
chip_events_feed = EventsFeed(model=Chip, event_filter=_chip_events)
latest_articles_feed = LatestArticlesFeed()

"""How the admin's history page shows a change: values as an editor reads them, in French.

django-simple-history prints raw Python values ("False", "100000.000000", "pending"); editors need
"non", "100 000", "à vérifier". `ReadableChanges` is the context helper an admin class returns from
`get_historical_record_context_helper()`.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import ManyToManyField
from django.utils.formats import date_format
from django.utils.timezone import localtime
from simple_history.template_utils import HistoricalRecordContextHelper

from articles.templatetags.archive import french_number

EMPTY = "—"


def readable_value(field, value) -> str:
    """One field's value as the change form would show it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal | float | int) and not field.is_relation:
        return french_number(value)
    if isinstance(value, datetime):
        return date_format(localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


class ReadableChanges(HistoricalRecordContextHelper):
    """simple-history's change list, with choice labels, oui/non, French numbers and dates."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, ManyToManyField):
            names = [str(related) for related in super().prepare_delta_change_value(change, value)]
            return ", ".join(sorted(names)) or EMPTY
        return readable_value(field, value)

"""Write every purchase event as JSON or CSV on stdout (rejected ones only with --include-rejected).

python manage.py export_events --format csv > events.csv
"""

from django.core.management.base import BaseCommand

from articles.exports import EVENT_FIELDS, as_csv, as_json, event_queryset, event_record


class Command(BaseCommand):
    help = "Export every purchase event with its article and sentence, as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--include-rejected", action="store_true", help="also events editors rejected")

    def handle(self, *args, format, include_rejected, **options):
        records = [event_record(e) for e in event_queryset(include_rejected=include_rejected)]
        self.stdout.write(as_json(records) if format == "json" else as_csv(records, EVENT_FIELDS), ending="")
        self.stderr.write(f"{len(records)} events")

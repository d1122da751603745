"""The editors' desk: every model of the archive, with the columns, filters, actions and pages editors need.

Importing the modules registers their ModelAdmins with the default admin site.
"""

from articles.admin import articles, gazetteer, review

__all__ = ["articles", "gazetteer", "review"]

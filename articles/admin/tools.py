"""The admin's own pages for articles: import files (the `import_articles` service) and re-extract a list."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from articles.readers import MAX_FILE_BYTES, SUPPORTED_SUFFIXES
from articles.services.extraction import ExtractReport, articles_extract
from articles.services.ingest import articles_import

MAX_UPLOAD_FILES = 50
MAX_REEXTRACT_ARTICLES = 500


def extraction_message(report: ExtractReport) -> str:
    return _(
        "Extraction relancée sur %(articles)s article(s) : chiffres ajoutés %(figures)s, événements ajoutés "
        "%(events)s ; les corrections de la rédaction sont conservées (%(kept)s élément(s))."
    ) % {
        "articles": report.articles,
        "figures": report.figures_added,
        "events": report.events_added,
        "kept": report.editorial_kept,
    }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(SUPPORTED_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(_("Choisissez au moins un fichier."), code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Fichiers"),
        help_text=gettext_lazy(
            "Fichiers .json, .txt, .html ou .htm (10 Mo au plus chacun, 50 fichiers au plus), "
            "les mêmes que la commande import_articles."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(
                _("%(count)s fichiers envoyés : %(max)s au plus à la fois.")
                % {"count": len(files), "max": MAX_UPLOAD_FILES}
            )
        for upload in files:
            if Path(upload.name).suffix.lower() not in SUPPORTED_SUFFIXES:
                raise forms.ValidationError(
                    _("« %(name)s » : type de fichier non pris en charge (attendu : %(types)s).")
                    % {"name": upload.name, "types": ", ".join(SUPPORTED_SUFFIXES)}
                )
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    _("« %(name)s » fait %(size).1f Mo : la limite est de %(max)s Mo par fichier.")
                    % {"name": upload.name, "size": upload.size / 2**20, "max": MAX_FILE_BYTES // 2**20}
                )
        return files


def uploads_import(files) -> tuple:
    """Write the uploads to a private folder under their own names, then run the import service on it."""
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        paths = []
        for number, upload in enumerate(files, start=1):
            # A number first keeps two uploads of the same name apart.
            target = Path(folder) / f"{number:03d}-{get_valid_filename(Path(upload.name).name)}"
            with target.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            paths.append(target)
        report = articles_import(paths=paths)
        names = {str(p): upload.name for p, upload in zip(paths, files, strict=True)}
        lines = [f"{display_source(f.source, folder, names)} : {f.reason}" for f in report.failures]
        notices = [display_source(notice, folder, names) for notice in report.notices]
    return report, lines, notices


def display_source(text: str, folder: str, names: dict) -> str:
    """Put back the editor's file name where the report names the temporary copy."""
    for temporary, original in names.items():
        text = text.replace(temporary, original)
    return text.replace(folder + "/", "")


def articles_upload_view(model_admin, request):
    """Import uploaded article files and show the same per-file report as the command."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    result = None
    if request.method == "POST" and form.is_valid():
        report, failures, notices = uploads_import(form.cleaned_data["files"])
        summary = _("créés %(created)s, mis à jour %(updated)s, ignorés %(skipped)s, échecs %(failed)s") % {
            "created": report.created,
            "updated": report.updated,
            "skipped": report.skipped,
            "failed": report.failed,
        }
        result = {"summary": summary, "failures": failures, "notices": notices}
        level = messages.WARNING if report.failed else messages.SUCCESS
        model_admin.message_user(request, _("Import terminé : %(summary)s") % {"summary": summary}, level)
        form = UploadForm()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Importer des fichiers"),
        "form": form,
        "result": result,
    }
    return TemplateResponse(request, "admin/articles/article/upload.html", context)


def requested_articles(request):
    raw = request.POST.getlist("ids") or request.GET.get("ids", "").split(",")
    ids = [int(value) for value in raw if value.strip().isdigit()][:MAX_REEXTRACT_ARTICLES]
    return Article.objects.filter(pk__in=ids).newest_first()


def articles_reextract_view(model_admin, request):
    """Confirm, then re-extract a list of articles (after an alias change); editors' work is kept."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    articles = list(requested_articles(request))
    if request.method == "POST":
        if not articles:
            model_admin.message_user(request, _("Aucun article à réextraire."), messages.WARNING)
        else:
            report = articles_extract(articles=articles)
            model_admin.message_user(request, extraction_message(report), messages.SUCCESS)
        return redirect("admin:articles_article_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Relancer l’extraction"),
        "articles": articles,
    }
    return TemplateResponse(request, "admin/articles/article/reextract.html", context)

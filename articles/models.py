"""The archive's data: articles split into sentences, the gazetteer of companies and chips, and the figures
and purchase events read from the sentences.

Figures and events always point at the sentence that reported them, so every number on a page can be
traced back to its words. Rows are written by `articles.services` only.
"""

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def alias_lines(text: str) -> list[str]:
    """Split an editor's one-alias-per-line field into clean, de-duplicated aliases, spelled as typed."""
    aliases = (" ".join(line.split()) for line in text.splitlines())
    return list(dict.fromkeys(alias for alias in aliases if alias))


class Publication(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant d’URL"), max_length=200, unique=True)
    website = models.URLField(_("site web"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:article-list") + f"?publication={self.slug}"


class DatePrecision(models.TextChoices):
    DAY = "day", _("jour")
    MONTH = "month", _("mois")
    YEAR = "year", _("année")
    UNKNOWN = "unknown", _("inconnue")


class ArticleQuerySet(models.QuerySet):
    def newest_first(self) -> "ArticleQuerySet":
        """Most recent publication date first; articles whose date is unknown come last."""
        return self.order_by(models.F("published_on").desc(nulls_last=True), "-created_at", "-pk")


class Article(models.Model):
    title = models.CharField(_("titre"), max_length=500)
    title_is_derived = models.BooleanField(
        _("titre déduit du texte"),
        default=False,
        help_text=_("Coché quand la source n’avait pas de titre : il a été tiré de la première phrase."),
    )
    slug = models.SlugField(_("identifiant d’URL"), max_length=120, unique=True)
    source_url = models.URLField(
        _("URL de la source"),
        max_length=1000,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Adresse de l’article original, quand elle est connue."),
    )
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    published_on = models.DateField(
        _("date de publication"),
        null=True,
        blank=True,
        help_text=_("Premier jour du mois ou de l’année quand la date n’est connue qu’au mois ou à l’année."),
    )
    date_precision = models.CharField(
        _("précision de la date"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )
    language = models.CharField(_("langue"), max_length=8, default="fr")
    body = models.TextField(_("texte"), help_text=_("Le texte tel que reçu (normalisé NFC), jamais réécrit."))
    content_hash = models.CharField(
        _("empreinte du texte"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 du texte, pour reconnaître un article déjà importé."),
    )
    editor_locked_fields = models.JSONField(
        _("champs corrigés par la rédaction"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Ces champs ne sont plus modifiés par une réimportation."),
    )
    extracted_at = models.DateTimeField(
        _("chiffres extraits le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Dernière extraction automatique des chiffres et des événements."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ArticleQuerySet.as_manager()
    # Every editorial change, with its author and the values before and after (shown in the admin).
    history = HistoricalRecords(
        verbose_name=_("historique d’article"), verbose_name_plural=_("historiques d’articles")
    )

    class Meta:
        ordering = [models.F("published_on").desc(nulls_last=True), "-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["published_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published_on__isnull=True, date_precision="unknown")
                | (models.Q(published_on__isnull=False) & ~models.Q(date_precision="unknown")),
                name="article_date_matches_precision",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:article-detail", kwargs={"slug": self.slug})


class SentenceKind(models.TextChoices):
    TITLE = "title", _("titre")
    HEADING = "heading", _("intertitre")
    SENTENCE = "sentence", _("phrase")
    BULLET = "bullet", _("puce")
    BOILERPLATE = "boilerplate", _("reste de page")


class Sentence(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="sentences"
    )
    index = models.PositiveIntegerField(_("rang"))
    start = models.PositiveIntegerField(
        _("début"), help_text=_("Position du premier caractère dans le texte.")
    )
    end = models.PositiveIntegerField(_("fin"), help_text=_("Position après le dernier caractère."))
    text = models.TextField(_("texte"))
    kind = models.CharField(_("nature"), max_length=12, choices=SentenceKind.choices)

    class Meta:
        ordering = ["article", "index"]
        verbose_name = _("phrase")
        verbose_name_plural = _("phrases")
        constraints = [
            models.UniqueConstraint(fields=["article", "index"], name="sentence_unique_index"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="sentence_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} §{self.index}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#s-{self.index}"


class GazetteerMixin:
    """What companies and chips share: a canonical name, its slug, and the aliases editors keep."""

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    @property
    def alias_list(self) -> list[str]:
        return alias_lines(self.aliases)


class Company(GazetteerMixin, models.Model):
    class Role(models.TextChoices):
        TECH = "tech", _("groupe technologique (acheteur)")
        CHIPMAKER = "chipmaker", _("concepteur de puces")
        FOUNDRY = "foundry", _("fondeur")
        OTHER = "other", _("autre")

    name = models.CharField(_("nom canonique"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant d’URL"), max_length=120, unique=True)
    aliases = models.TextField(
        _("alias"),
        blank=True,
        help_text=_(
            "Un alias par ligne : autres graphies, fautes vues dans la presse, désignations "
            "(« le propriétaire de TikTok »)."
        ),
    )
    country = models.CharField(_("pays"), max_length=60, blank=True)
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices, default=Role.TECH)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(
        verbose_name=_("historique d’entreprise"), verbose_name_plural=_("historiques d’entreprises")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")

    def get_absolute_url(self) -> str:
        return reverse("articles:company-detail", kwargs={"slug": self.slug})


class Chip(GazetteerMixin, models.Model):
    name = models.CharField(_("nom canonique"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant d’URL"), max_length=120, unique=True)
    maker = models.ForeignKey(
        Company,
        verbose_name=_("fabricant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chips",
    )
    family = models.CharField(_("famille"), max_length=60, blank=True, help_text=_("Architecture ou gamme."))
    variant_of = models.ForeignKey(
        "self",
        verbose_name=_("variante de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="variants",
        help_text=_("La puce dont celle-ci est une version bridée ou dérivée."),
    )
    aliases = models.TextField(
        _("alias"),
        blank=True,
        help_text=_("Un alias par ligne : autres graphies et fautes vues dans la presse."),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(
        verbose_name=_("historique de puce"), verbose_name_plural=_("historiques de puces")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("puce")
        verbose_name_plural = _("puces")

    def get_absolute_url(self) -> str:
        return reverse("articles:chip-detail", kwargs={"slug": self.slug})


class Origin(models.TextChoices):
    MACHINE = "machine", _("extraction automatique")
    EDITOR = "editor", _("rédaction")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("à vérifier")
    VERIFIED = "verified", _("vérifié")
    REJECTED = "rejected", _("rejeté")


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exact")
    APPROX = "approx", _("environ")
    AT_LEAST = "at_least", _("au moins")
    MORE_THAN = "more_than", _("plus de")
    LESS_THAN = "less_than", _("moins de")
    AT_MOST = "at_most", _("jusqu’à")
    RANGE = "range", _("fourchette")
    VAGUE = "vague", _("vague")


class ReviewedQuerySet(models.QuerySet):
    def public(self) -> "ReviewedQuerySet":
        """What readers may see: everything but what editors rejected."""
        return self.exclude(review_status=ReviewStatus.REJECTED)


class PurchaseEventQuerySet(ReviewedQuerySet):
    def for_display(self) -> "PurchaseEventQuerySet":
        """Public events with everything a page shows of them loaded in a fixed number of queries."""
        figure_parts = ("article__publication", "sentence")
        return (
            self.public()
            .select_related(
                "article__publication",
                "sentence",
                "seller",
                "chip",
                *(f"amount_figure__{part}" for part in figure_parts),
                *(f"quantity_figure__{part}" for part in figure_parts),
            )
            .prefetch_related("buyers")
        )


class ReviewedItem(models.Model):
    """What figures and events share: the sentence that reported them, who made them and their review."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE)
    sentence = models.ForeignKey(
        Sentence,
        verbose_name=_("phrase"),
        on_delete=models.PROTECT,
        help_text=_("La phrase de l’article qui rapporte cette information."),
    )
    origin = models.CharField(_("origine"), max_length=8, choices=Origin.choices, default=Origin.MACHINE)
    review_status = models.CharField(
        _("vérification"),
        max_length=8,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    edited = models.BooleanField(
        _("corrigé par la rédaction"),
        default=False,
        help_text=_("Coché dès qu’un éditeur modifie l’élément : une nouvelle extraction n’y touchera plus."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ReviewedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_editorial(self) -> bool:
        """True once an editor made, edited or judged it: a machine re-run must then leave it alone."""
        return self.origin == Origin.EDITOR or self.edited or self.review_status != ReviewStatus.PENDING


class UsdSource(models.TextChoices):
    NATIVE = "native", _("montant en dollars")
    ARTICLE = "article", _("conversion donnée par l’article")
    RATE = "rate", _("estimation au taux annuel moyen")


class Figure(ReviewedItem):
    class Kind(models.TextChoices):
        MONEY = "money", _("montant")
        QUANTITY = "quantity", _("quantité de matériel")
        PERCENT = "percent", _("pourcentage")
        DATE = "date", _("date")
        DURATION = "duration", _("durée")
        MULTIPLIER = "multiplier", _("multiplicateur")
        COUNT = "count", _("autre nombre")

    # The figures of GUIDELINES.md; the other kinds are kept for periods and context.
    CORE_KINDS = ("money", "quantity", "percent")

    kind = models.CharField(_("nature"), max_length=12, choices=Kind.choices)
    surface = models.CharField(_("texte du chiffre"), max_length=300, help_text=_("Les mots tels qu’écrits."))
    char_start = models.PositiveIntegerField(_("début"))
    char_end = models.PositiveIntegerField(_("fin"))
    value = models.DecimalField(_("valeur"), max_digits=30, decimal_places=6, null=True, blank=True)
    value_max = models.DecimalField(
        _("valeur haute"),
        max_digits=30,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Borne haute d’une fourchette."),
    )
    value_text = models.CharField(
        _("valeur (date)"),
        max_length=32,
        blank=True,
        help_text=_("Pour une date : 2023-08-09, 2023-08, 2025-Q1, 2024…"),
    )
    unit = models.CharField(
        _("unité"), max_length=16, blank=True, help_text=_("USD, CNY, EUR, unit, percent…")
    )
    qualifier = models.CharField(
        _("qualificatif"),
        max_length=10,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
    )
    value_usd = models.DecimalField(
        _("valeur en dollars"),
        max_digits=30,
        decimal_places=2,
        null=True,
        blank=True,
    )
    usd_source = models.CharField(
        _("origine de la valeur en dollars"),
        max_length=8,
        choices=UsdSource.choices,
        blank=True,
    )
    usd_rate = models.DecimalField(
        _("taux utilisé"),
        max_digits=20,
        decimal_places=10,
        null=True,
        blank=True,
        help_text=_("Dollars pour une unité de la devise."),
    )
    conversion_of = models.ForeignKey(
        "self",
        verbose_name=_("conversion de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversions",
        help_text=_(
            "Le montant que celui-ci convertit, dans la même phrase (« … (13,7 milliards de dollars) »)."
        ),
    )
    history = HistoricalRecords(
        verbose_name=_("historique de chiffre"), verbose_name_plural=_("historiques de chiffres")
    )

    class Meta:
        ordering = ["article", "char_start"]
        verbose_name = _("chiffre")
        verbose_name_plural = _("chiffres")
        default_related_name = "figures"

    def __str__(self) -> str:
        return self.surface

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#f-{self.pk}"


class PurchaseEvent(ReviewedItem):
    class Type(models.TextChoices):
        ORDER = "order", _("commande")
        PURCHASE = "purchase", _("achat")
        STOCKPILE = "stockpile", _("stockage")
        RESALE = "resale", _("revente")
        AUTHORIZATION = "authorization", _("autorisation")
        RESTRICTION = "restriction", _("restriction")
        SMUGGLING = "smuggling", _("contrebande")
        PRODUCTION = "production", _("production")
        DISMANTLING = "dismantling", _("démontage")

    class Status(models.TextChoices):
        REPORTED = "reported", _("rapporté")
        DENIED = "denied", _("démenti")

    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    buyers = models.ManyToManyField(
        Company,
        verbose_name=_("acheteurs"),
        blank=True,
        related_name="purchases",
    )
    seller = models.ForeignKey(
        Company,
        verbose_name=_("vendeur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
    )
    chip = models.ForeignKey(
        Chip,
        verbose_name=_("puce"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Vide quand l’article ne dit que « GPU Nvidia »."),
    )
    quantity = models.DecimalField(_("quantité"), max_digits=30, decimal_places=6, null=True, blank=True)
    quantity_figure = models.ForeignKey(
        Figure,
        verbose_name=_("chiffre de la quantité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    amount = models.DecimalField(_("montant"), max_digits=30, decimal_places=6, null=True, blank=True)
    amount_figure = models.ForeignKey(
        Figure,
        verbose_name=_("chiffre du montant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    currency = models.CharField(_("devise"), max_length=3, blank=True)
    period = models.CharField(
        _("période"),
        max_length=32,
        blank=True,
        help_text=_("Résolue quand c’est possible : 2024, 2025-Q1…"),
    )
    period_surface = models.CharField(_("période telle qu’écrite"), max_length=200, blank=True)
    status = models.CharField(_("statut"), max_length=8, choices=Status.choices, default=Status.REPORTED)

    objects = PurchaseEventQuerySet.as_manager()
    # m2m_fields: a change of buyers is a new historical record too, restored with the rest on revert.
    history = HistoricalRecords(
        verbose_name=_("historique d’événement"),
        verbose_name_plural=_("historiques d’événements"),
        m2m_fields=[buyers],
    )

    class Meta:
        ordering = ["article", "sentence__index", "pk"]
        verbose_name = _("événement d’achat")
        verbose_name_plural = _("événements d’achat")
        default_related_name = "events"

    def __str__(self) -> str:
        return f"{self.get_type_display()} — {self.sentence}"

    def get_absolute_url(self) -> str:
        return self.sentence.get_absolute_url()


class Mention(models.Model):
    """A company, chip or authority named in a sentence; rebuilt by each extraction."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("entreprise")
        CHIP = "chip", _("puce")
        AUTHORITY = "authority", _("autorité")

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE)
    sentence = models.ForeignKey(Sentence, verbose_name=_("phrase"), on_delete=models.CASCADE)
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nom canonique"), max_length=120)
    surface = models.CharField(_("texte"), max_length=200)
    char_start = models.PositiveIntegerField(_("début"))
    char_end = models.PositiveIntegerField(_("fin"))
    company = models.ForeignKey(
        Company, verbose_name=_("entreprise"), null=True, blank=True, on_delete=models.CASCADE
    )
    chip = models.ForeignKey(Chip, verbose_name=_("puce"), null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        ordering = ["article", "char_start"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        default_related_name = "mentions"

    def __str__(self) -> str:
        return f"{self.name} ({self.surface})"

    def get_absolute_url(self) -> str:
        return self.sentence.get_absolute_url()


class ExchangeRate(models.Model):
    """A yearly average rate editors keep, used to show a USD estimate of amounts in other currencies."""

    currency = models.CharField(_("devise"), max_length=3, help_text=_("Code ISO 4217 : CNY, EUR, HKD…"))
    year = models.PositiveSmallIntegerField(_("année"))
    usd_per_unit = models.DecimalField(
        _("dollars pour une unité"),
        max_digits=20,
        decimal_places=10,
        help_text=_("Moyenne annuelle : 0,1389 pour le yuan en 2024 (7,20 yuans pour un dollar)."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords(
        verbose_name=_("historique de taux"), verbose_name_plural=_("historiques de taux")
    )

    class Meta:
        ordering = ["currency", "-year"]
        verbose_name = _("taux de change")
        verbose_name_plural = _("taux de change")
        constraints = [models.UniqueConstraint(fields=["currency", "year"], name="rate_unique_currency_year")]

    def __str__(self) -> str:
        return f"{self.currency} {self.year} : {self.usd_per_unit} $"


class SearchOutbox(models.Model):
    """An article whose search entry must be refreshed, written in the transaction that changed it.

    The indexer reads these rows, re-indexes (or removes) the articles, then deletes exactly the rows it read.
    A plain integer rather than a foreign key: a deleted article must still be removed from the index.
    """

    article_id = models.PositiveBigIntegerField(_("article"))
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("article à réindexer")
        verbose_name_plural = _("articles à réindexer")

    def __str__(self) -> str:
        return f"article {self.article_id}"

"""Inspection records: inspectorates, organisations, inspections, findings and scores."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from inspections.querysets import (
    MEASURE_ORDER,
    FindingQuerySet,
    InspectedOrganisationQuerySet,
    InspectionQuerySet,
    RecommendationQuerySet,
    ScoreQuerySet,
)


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month (the day is not known)")


class Inspectorate(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("E.g. “HMI Probation”.")
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("inspectorate")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class RatingScale(models.Model):
    """A set of judgements one inspectorate gives (its own words, ranked)."""

    inspectorate = models.ForeignKey(
        Inspectorate, on_delete=models.PROTECT, related_name="rating_scales"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["inspectorate__name", "name"]
        verbose_name = _("rating scale")

    def __str__(self):
        return self.name


class RatingLevel(models.Model):
    class Tone(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        MIDDLING = "middling", _("Middling")
        NEGATIVE = "negative", _("Negative")
        NEUTRAL = "neutral", _("Neutral")

    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="levels")
    label = models.CharField(_("label"), max_length=100, help_text=_("The inspectorate's words."))
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Used in filter addresses; the same word on two scales shares a slug."),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("1 is the lowest judgement on the scale; higher is better.")
    )
    points = models.PositiveSmallIntegerField(
        _("points"),
        null=True,
        blank=True,
        help_text=_("Points the inspectorate gives for this judgement, where it uses points."),
    )
    tone = models.CharField(
        _("tone"),
        max_length=10,
        choices=Tone.choices,
        default=Tone.NEUTRAL,
        help_text=_("How the badge is drawn. The label is always shown as text too."),
    )

    class Meta:
        ordering = ["scale", "-rank"]
        verbose_name = _("rating level")
        constraints = [
            models.UniqueConstraint(fields=["scale", "rank"], name="ratinglevel_unique_rank"),
            models.UniqueConstraint(fields=["scale", "slug"], name="ratinglevel_unique_slug"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="ratinglevel_rank_from_1"),
        ]

    def __str__(self):
        # The scale keeps the same word on two scales apart in admin pickers.
        return f"{self.label} ({self.scale.name})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.label)[:100]
        super().save(*args, **kwargs)


class Programme(models.Model):
    """An inspection programme or methodology, e.g. Quality & Impact (2016-18)."""

    inspectorate = models.ForeignKey(
        Inspectorate, on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    rating_scale = models.ForeignKey(
        RatingScale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        help_text=_("Leave empty when the programme gave no graded judgement."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["inspectorate__name", "start", "name"]
        verbose_name = _("programme")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """What a finding is about: an outcome heading or a numbered standard of a programme."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="themes",
        help_text=_("Empty for a theme any programme may use."),
    )
    code = models.CharField(
        _("code"), max_length=60, help_text=_("E.g. “protecting_the_public” or “2.1”.")
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("theme")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="theme_unique_code"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(programme__isnull=True),
                name="theme_unique_shared_code",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name, led by the standard's number when the code is one (“2.1 Assessment”)."""
        return f"{self.code} {self.name}" if self.code[:1].isdigit() else self.name


class Operator(models.Model):
    """Who runs an organisation (a company, a consortium or a public body)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("operator")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CRC = "crc", _("Community Rehabilitation Company")
        NPS_DIVISION = "nps-division", _("National Probation Service division")
        PROBATION_REGION = "probation-region", _("Probation region")
        PDU = "pdu", _("Probation Delivery Unit")
        PRISON = "prison", _("Prison")
        YOT = "yot", _("Youth offending team")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    operator = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("The owner or operator, e.g. a company running a CRC."),
    )
    area = models.CharField(_("area"), max_length=200, blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_to__isnull=True)
                | Q(active_to__gte=F("active_from")),
                name="organisation_active_to_after_from",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:organisation-detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Measure(models.Model):
    """Something scored per organisation: a percentage of cases, a count, or a rated standard."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    code = models.CharField(_("code"), max_length=30, blank=True, help_text=_("E.g. “2.1”."))
    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code", "name"]
        verbose_name = _("measure")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name


class TaggedInspection(TaggedItemBase):
    content_object = models.ForeignKey("Inspection", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("inspection tag")


class TaggedFinding(TaggedItemBase):
    content_object = models.ForeignKey("Finding", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("finding tag")


# First path segments under /inspections/ that are pages, not inspections.
RESERVED_SLUGS = ["compare", "data", "feed", "organisations", "preview"]


class Inspection(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    inspectorate = models.ForeignKey(
        Inspectorate, on_delete=models.PROTECT, related_name="inspections"
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    area = models.CharField(_("area"), max_length=200, blank=True)
    fieldwork_start = models.DateField(_("fieldwork start"), null=True, blank=True)
    fieldwork_end = models.DateField(_("fieldwork end"), null=True, blank=True)
    fieldwork_precision = models.CharField(
        _("fieldwork date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    fieldwork_note = models.CharField(
        _("fieldwork note"),
        max_length=250,
        blank=True,
        help_text=_("E.g. “two weeks of fieldwork” when the dates are not known."),
    )
    published_on = models.DateField(_("published on"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("With “month”, only the month and year are shown."),
    )
    report_url = models.URLField(_("report URL"), max_length=500, blank=True)
    press_release_url = models.URLField(_("press release URL"), max_length=500, blank=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Plain text: what the inspectors found, briefly.")
    )
    quote = models.TextField(
        _("chief inspector's quote"),
        blank=True,
        help_text=_("Keep it short and quote it exactly."),
    )
    quote_attribution = models.CharField(_("quote attribution"), max_length=250, blank=True)
    quote_context = models.CharField(
        _("quote context"),
        max_length=250,
        blank=True,
        help_text=_("What the words were said about, e.g. “people under CRC supervision”."),
    )
    record_note = models.TextField(
        _("note on this record"),
        blank=True,
        help_text=_("Gaps and caveats readers should know, e.g. figures not yet transcribed."),
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follows up"),
        help_text=_("The earlier inspection this one revisits."),
    )
    organisations = models.ManyToManyField(
        Organisation, through="InspectedOrganisation", related_name="inspections"
    )
    tags = TaggableManager(through=TaggedInspection, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    comments_open = models.BooleanField(
        _("comments open"),
        default=True,
        help_text=_("Readers may comment (threads still close a while after publication)."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("“Published” with a future go-live time is scheduled: public from then."),
    )
    live_at = models.DateTimeField(
        _("goes live at"),
        null=True,
        blank=True,
        help_text=_(
            "When the record appears on the site. A future time schedules it; empty with "
            "“Published” means now. (Not the report's own date: that is “published on”.)"
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the record is written in; empty: the site's language."),
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("inspection")
        permissions = [("publish_inspection", _("Can publish and schedule inspections"))]
        indexes = [
            models.Index(fields=["-published_on"], name="inspection_published_idx"),
            models.Index(fields=["status", "live_at"], name="inspection_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(live_at__isnull=False),
                name="inspection_published_has_live_at",
            ),
            models.CheckConstraint(
                condition=Q(fieldwork_start__isnull=True)
                | Q(fieldwork_end__isnull=True)
                | Q(fieldwork_end__gte=F("fieldwork_start")),
                name="inspection_fieldwork_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS),
                name="inspection_slug_not_reserved",
                violation_error_message=_("That address is taken by a page of the site."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200]
        # A month-precision date is stored as the 1st, so sorting and filters stay honest.
        if self.date_precision == DatePrecision.MONTH and self.published_on:
            self.published_on = self.published_on.replace(day=1)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "slug", "published_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("inspections:inspection-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        """Mirror of InspectionQuerySet.published() for an instance in hand."""
        return (
            self.status == self.Status.PUBLISHED
            and self.live_at is not None
            and self.live_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_published


class InspectedOrganisation(models.Model):
    class Role(models.TextChoices):
        SUBJECT = "subject", _("Inspected")
        PARTNER = "partner", _("Partner also covered")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="inspected")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="inspected"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.SUBJECT)
    overall_rating = models.ForeignKey(
        RatingLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty where the inspection gave no overall rating."),
    )
    caseload = models.PositiveIntegerField(
        _("caseload at inspection"),
        null=True,
        blank=True,
        help_text=_("People supervised, as the report states it (see the note if approximate)."),
    )
    caseload_note = models.CharField(_("caseload note"), max_length=250, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = InspectedOrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("inspected organisation")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "organisation"], name="inspectedorganisation_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.inspection})"

    def clean(self):
        if not (self.overall_rating_id and self.inspection_id and self.inspection.programme_id):
            return
        scale_id = self.inspection.programme.rating_scale_id
        if scale_id and self.overall_rating.scale_id != scale_id:
            raise ValidationError(
                {"overall_rating": _("Choose a rating from the programme's own scale.")}
            )


class Finding(models.Model):
    class Polarity(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        CONCERN = "concern", _("Concern")
        MIXED = "mixed", _("Mixed")
        CONTEXT = "context", _("Context")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        help_text=_("Empty for a joint finding, e.g. on how the organisations worked together."),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    polarity = models.CharField(_("polarity"), max_length=10, choices=Polarity.choices)
    text = models.TextField(_("text"), help_text=_("Plain text, in our own words."))
    order = models.PositiveIntegerField(_("order"), default=0)
    tags = TaggableManager(through=TaggedFinding, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("finding")

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if (
            self.theme_id
            and self.inspection_id
            and self.theme.programme_id
            not in {
                None,
                self.inspection.programme_id,
            }
        ):
            raise ValidationError({"theme": _("Choose a theme of the inspection's programme.")})


class Score(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="scores")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="scores")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="scores")
    percentage = models.DecimalField(
        _("percentage"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rating = models.ForeignKey(
        RatingLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    approximate = models.BooleanField(
        _("approximate"), default=False, help_text=_("The report gives the figure loosely.")
    )
    note = models.CharField(_("note"), max_length=250, blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = [*MEASURE_ORDER, "pk"]
        verbose_name = _("score")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "organisation", "measure"], name="score_unique_measure"
            ),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__gte=0, percentage__lte=100),
                name="score_percentage_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(percentage__isnull=False)
                | Q(rating__isnull=False)
                | Q(count__isnull=False),
                name="score_has_a_value",
            ),
        ]

    def __str__(self):
        return f"{self.measure}: {self.organisation}"


class Recommendation(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    addressed_to = models.ManyToManyField(Organisation, blank=True, related_name="recommendations")
    addressed_to_other = models.CharField(
        _("also addressed to"),
        max_length=250,
        blank=True,
        help_text=_("Bodies not recorded as organisations, e.g. “Ministry of Justice”."),
    )
    text = models.TextField(_("text"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("recommendation")

    def __str__(self):
        return self.text[:80]


class InspectionVersion(models.Model):
    """An inspection as saved at one moment in the admin: its fields, organisations,
    findings, scores and recommendations, as a snapshot (see inspections.versions)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="versions")
    title = models.CharField(_("title"), max_length=250)
    data = models.JSONField(_("snapshot"), default=dict)
    created_at = models.DateTimeField(_("saved"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inspection version")

    def __str__(self):
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"

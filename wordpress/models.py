from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One `import_wordpress` run that wrote to the database (a dry run leaves none)."""

    source = models.CharField(_("WordPress site"), max_length=200)
    export = models.CharField(_("export file"), max_length=300)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("The report it printed."))

    class Meta:
        verbose_name = _("WordPress import run")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.export} ({self.started_at:%Y-%m-%d %H:%M})"


class ImportedItem(models.Model):
    """What one WordPress object became here: how a second import finds it again.

    Keyed by the exported site and the WordPress ID, so a rerun (or a newer export of the
    same site) updates what it made instead of making it twice; `fingerprint` is a hash of
    what the export said, so an item that has not changed there is left alone here.
    """

    class Kind(models.TextChoices):
        AUTHOR = "author", _("Author")
        CATEGORY = "category", _("Category")
        TAG = "tag", _("Tag")
        POST = "post", _("Post")
        PAGE = "page", _("Page")
        ATTACHMENT = "attachment", _("Attachment")
        COMMENT = "comment", _("Comment")

    source = models.CharField(
        _("WordPress site"), max_length=200, help_text=_("The exported blog's address.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    wp_id = models.BigIntegerField(_("WordPress ID"))
    guid = models.CharField(_("GUID"), max_length=500, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    old_url = models.CharField(
        _("old address"), max_length=500, blank=True, help_text=_("Its address on WordPress.")
    )
    path = models.CharField(
        _("file"), max_length=300, blank=True, help_text=_("Stored file of an attachment.")
    )
    run = models.ForeignKey(
        ImportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("run"),
        help_text=_("The run that last created or changed it."),
    )
    fingerprint = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        verbose_name = _("imported WordPress item")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "wp_id"], name="wordpress_item_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.wp_id} ({self.source})"

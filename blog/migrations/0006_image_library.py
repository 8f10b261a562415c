import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def featured_images_join_library(apps, schema_editor):
    """Every featured image already on an article becomes a library image, shown there."""
    Article = apps.get_model("blog", "Article")
    Image = apps.get_model("blog", "Image")
    ImageUse = apps.get_model("blog", "ImageUse")
    images = {}
    for article in Article.objects.exclude(featured_image="").order_by("pk").iterator():
        name = article.featured_image.name if hasattr(article.featured_image, "name") else article.featured_image
        image = images.get(name)
        if image is None:
            image = images[name] = Image.objects.create(
                file=name,
                width=article.featured_image_width,
                height=article.featured_image_height,
                alt=article.featured_image_alt,
                caption=article.featured_image_caption,
                uploaded_by_id=article.author_id,
                renditions=article.featured_image_renditions or {},
            )
        ImageUse.objects.create(image=image, article=article, featured=True)


class Migration(migrations.Migration):

    dependencies = [
        ("blog", "0005_editor_desk"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Image",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file", models.ImageField(max_length=255, unique=True, upload_to="articles/%Y/%m/", validators=[django.core.validators.FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif"])], verbose_name="file")),
                ("width", models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ("height", models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ("alt", models.CharField(help_text="Describe the image for people who cannot see it.", max_length=250, verbose_name="alt text")),
                ("caption", models.CharField(blank=True, max_length=300, verbose_name="caption")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="uploaded")),
                ("renditions", models.JSONField(blank=True, default=dict, editable=False)),
                ("uploaded_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="uploaded by")),
            ],
            options={
                "verbose_name": "image",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ImageUse",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("featured", models.BooleanField(default=False)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="image_uses", to="blog.article")),
                ("image", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="uses", to="blog.image")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("image", "article", "featured"), name="image_use_unique")],
            },
        ),
        migrations.RunPython(featured_images_join_library, migrations.RunPython.noop),
    ]

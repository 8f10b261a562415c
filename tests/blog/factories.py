"""Staff in editorial roles, admin form data and uploaded images for the blog tests."""

import io

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.roles import AUTHOR, EDITOR, MODERATOR
from tests.factories import AuthorProfileFactory, UserFactory

PASSWORD = "correct horse battery staple"


class StaffFactory(UserFactory):
    """A staff user with a profile, in one editorial group; logs in with PASSWORD."""

    class Meta:
        skip_postgeneration_save = True

    is_staff = True
    password = factory.django.Password(PASSWORD)
    role = EDITOR
    profile = factory.RelatedFactory(AuthorProfileFactory, factory_related_name="user")

    class Params:
        editor = factory.Trait(role=EDITOR)
        author = factory.Trait(role=AUTHOR)
        moderator = factory.Trait(role=MODERATOR)

    @classmethod
    def _create(cls, model_class, *args, role, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        user.groups.add(Group.objects.get(name=role))
        return user


class ArticleFormDataFactory(factory.DictFactory):
    """What the admin article form posts; extra keyword arguments become more fields."""

    title = "Caseloads under strain"
    slug = "caseloads-under-strain"
    standfirst = "Too many cases."
    body = "<p>Caseloads were too high.</p>"
    featured_image_alt = ""
    featured_image_caption = ""
    featured_image_credit = ""
    category = ""
    tags = ""
    status = "draft"
    published_at_0 = ""
    published_at_1 = ""
    comments_open = "on"
    meta_description = ""


def image_bytes(fmt: str, size: tuple[int, int], **save) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if fmt in {"PNG", "WEBP"} else "RGB"
    colour = (200, 80, 40, 255) if mode == "RGBA" else (200, 80, 40)
    Image.new(mode, size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


class UploadFactory(factory.Factory):
    """A file as a browser uploads it."""

    class Meta:
        model = SimpleUploadedFile

    name = "upload.bin"
    content = b""
    content_type = "application/octet-stream"


class ImageUploadFactory(UploadFactory):
    """An image drawn with Pillow in memory: a PNG unless `jpeg=True` or another `fmt`."""

    name = "chart.png"
    content = factory.LazyAttribute(lambda o: image_bytes(o.fmt, o.size, **o.save))
    content_type = "image/png"

    class Params:
        fmt = "PNG"
        size = (1600, 900)
        save = factory.Dict({})
        jpeg = factory.Trait(fmt="JPEG", name="photo.jpg", content_type="image/jpeg")

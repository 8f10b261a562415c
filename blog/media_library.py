"""The media library in the admin: every image an article shows, featured or in its body.

Authors see the images they uploaded, editors every image. Each row says where the image
is used; its alt text and caption can be changed; editors delete images no article shows.
The picker is the same list in the body editor's "Browse…" window, with an upload form:
the chosen image goes back to the editor's figure dialog (alt text and caption filled in).

Wired by blog/admin.py (`urls(article_admin)`), under the articles' admin URLs.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from blog.images import image_delete, image_describe, image_upload
from blog.models import Image, ImageUse

PER_PAGE = 48
PICKER_PER_PAGE = 24


class ImageUploadForm(forms.Form):
    file = forms.FileField(label=_("Image"), help_text=_("A JPEG, PNG, WebP or GIF."))
    alt = forms.CharField(
        label=_("Alt text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it (required)."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class ImageDescribeForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["alt", "caption"]


def _may_use(request) -> bool:
    user = request.user
    return user.has_perm("blog.add_article") or user.has_perm("blog.change_article")


def _may_edit(request, image: Image) -> bool:
    user = request.user
    return user.has_perm("blog.change_any_article") or image.uploaded_by_id == user.pk


def _may_delete(request) -> bool:
    return request.user.has_perm("blog.delete_image")


def _images(request):
    """The images the user may see, filtered by the query string, with where each is used."""
    images = Image.objects.visible_to(request.user)
    search = request.GET.get("q", "").strip()
    if search:
        images = images.filter(
            Q(file__icontains=search) | Q(alt__icontains=search) | Q(caption__icontains=search)
        )
    uploader = request.GET.get("uploader", "")
    if uploader.isdigit():
        images = images.filter(uploaded_by_id=int(uploader))
    if request.GET.get("unused"):
        images = images.unused()
    uses = ImageUse.objects.select_related("article").only(
        "image_id", "featured", "article__id", "article__title"
    )
    return (
        images.select_related("uploaded_by").prefetch_related(Prefetch("uses", queryset=uses)),
        search,
    )


def library_view(request, model_admin):
    """Every image the user may see: search, filter by uploader or unused, where it is used."""
    if not _may_use(request):
        raise PermissionDenied
    images, search = _images(request)
    page = Paginator(images, PER_PAGE).get_page(request.GET.get("page"))
    visible = Image.objects.visible_to(request.user)
    uploaders = (
        get_user_model()
        .objects.filter(pk__in=visible.values("uploaded_by_id"))
        .order_by("username")
        .only("pk", "username")
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Media library"),
        "page_obj": page,
        "images": page.object_list,
        "search": search,
        "uploaders": uploaders,
        "uploader": request.GET.get("uploader", ""),
        "unused": bool(request.GET.get("unused")),
        "can_add": model_admin.has_add_permission(request),
        "can_delete": _may_delete(request),
    }
    return TemplateResponse(request, "admin/blog/media_library.html", context)


def image_view(request, model_admin, image_id: int):
    """One image: change its alt text and caption; delete it when no article shows it."""
    if not _may_use(request):
        raise PermissionDenied
    image = get_object_or_404(
        Image.objects.visible_to(request.user).select_related("uploaded_by"), pk=image_id
    )
    may_edit = _may_edit(request, image)
    form = ImageDescribeForm(instance=image)
    if request.method == "POST":
        if "delete" in request.POST:
            if not _may_delete(request):
                raise PermissionDenied
            try:
                image_delete(image=image)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("admin:blog_image", image_id=image.pk)
            messages.success(request, _("The image and its renditions were deleted."))
            return redirect("admin:blog_article_media")
        if not may_edit:
            raise PermissionDenied
        old_alt = image.alt
        form = ImageDescribeForm(request.POST, instance=image)
        if form.is_valid():
            image.alt = old_alt  # image_describe compares with the alt text before
            image_describe(
                image=image, alt=form.cleaned_data["alt"], caption=form.cleaned_data["caption"]
            )
            messages.success(request, _("The alt text and caption were saved."))
            return redirect("admin:blog_image", image_id=image.pk)
    uses = list(image.uses.select_related("article").only("featured", "article__title"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Image"),
        "image": image,
        "uses": uses,
        "form": form,
        "may_edit": may_edit,
        "can_delete": _may_delete(request) and not uses,
    }
    return TemplateResponse(request, "admin/blog/media_library_image.html", context)


def picker_view(request, model_admin):
    """The body editor's "Browse…" window: upload an image, or choose one from the library."""
    if not _may_use(request):
        raise PermissionDenied
    chosen = None
    form = ImageUploadForm()
    if request.method == "POST":
        form = ImageUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                chosen = image_upload(
                    upload=form.cleaned_data["file"],
                    alt=form.cleaned_data["alt"],
                    caption=form.cleaned_data["caption"],
                    user=request.user,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
    images, search = _images(request)
    page = Paginator(images, PICKER_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Choose or upload an image"),
        "is_popup": True,
        "form": form,
        "chosen": chosen,
        "page_obj": page,
        "images": page.object_list,
        "search": search,
        "func_num": request.GET.get("CKEditorFuncNum", ""),
    }
    return TemplateResponse(request, "admin/blog/media_library_picker.html", context)


def urls(model_admin) -> list:
    """The library's admin URLs, wrapped by the admin site (login, staff, CSRF)."""
    view = model_admin.admin_site.admin_view

    def bind(function):
        return view(lambda request, **kwargs: function(request, model_admin, **kwargs))

    return [
        path("media/", bind(library_view), name="blog_article_media"),
        path("media/picker/", bind(picker_view), name="blog_image_picker"),
        path("media/<int:image_id>/", bind(image_view), name="blog_image"),
    ]

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.contrib.flatpages.views import flatpage
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from taggit.models import Tag

from blog.models import Article, AuthorProfile, Category, ResourcePack
from blog.preview import preview_article_pk
from core.content import listing_facts, registry
from core.pagecache import fragment, kept, prefetch_when_read
from core.pagination import paginate
from core.site import absolute_links, absolute_url
from inspections.models import Inspection

TAG_PAGE_INSPECTIONS = 10


def public_inspections() -> Prefetch:
    """The inspections behind an article: only those readers may see (built per request:
    the public rule reads the clock)."""
    return Prefetch("related_inspections", queryset=Inspection.objects.published())


def render_listing(request, template, queryset, **context) -> HttpResponse:
    """A page of article cards. The page is chosen by primary key; the cards' HTML is a
    fragment of those articles, so a reader who finds it kept needs no rows loaded."""
    page = paginate(request, queryset.values_list("pk", flat=True), count_key=request.path)
    # The path names the listing's rows (as for the count): its pages' keys are kept too.
    pks = kept(
        request, f"blog:listing:{request.path}:{page.number}", lambda: list(page.object_list)
    )
    page.object_list = pks
    cards = fragment(request, f"blog:cards:{pks}", lambda: article_cards(pks)) if pks else ""
    context.update(page_obj=page, cards=cards)
    return render(request, template, context)


def article_cards(pks: list[int]) -> str:
    """The listing cards of the articles `pks`, in that order (one query)."""
    articles = registry.annotate_listing(Article.objects.for_cards().filter(pk__in=pks))
    by_pk = {article.pk: article for article in articles}
    return "".join(
        render_to_string("includes/_article_card.html", {"article": by_pk[pk]})
        for pk in pks
        if pk in by_pk
    )


def home(request):
    facts = listing_facts(request, settings.SITE_NAME)
    return render_listing(request, "blog/home.html", Article.objects.published(), page_facts=facts)


def article_list(request):
    years = Article.objects.published().dates("published_at", "year", order="DESC")
    facts = listing_facts(request, _("All articles"))
    return render_listing(
        request,
        "blog/article_list.html",
        Article.objects.published(),
        years=years,
        page_facts=facts,
    )


def article_detail(request, slug):
    article = kept(
        request,
        f"blog:article:{slug}",
        lambda: get_object_or_404(Article.objects.published().for_page(), slug=slug),
    )
    return render(request, "blog/article_detail.html", article_context(article))


def article_preview(request, token):
    """An article exactly as readers will see it, for staff, through a signed expiring link."""
    if not request.user.is_active or not request.user.is_staff:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    pk = preview_article_pk(token)
    if pk is None:
        raise Http404(_("This preview link is not valid or has expired."))
    article = get_object_or_404(Article.objects.editable_by(request.user).for_page(), pk=pk)
    if article.published_at is None:
        article.published_at = timezone.now()  # shown as if published now; never saved
    messages.info(request, _("Preview: this is how the article will look when it is public."))
    response = render(request, "blog/article_detail.html", article_context(article))
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response


def article_context(article: Article) -> dict:
    """The article page's article and its neighbours. Its tags and inspections, and the
    neighbours, are read only by fragments and shared slots: they load when one of those is
    rendered, so a reader who finds them all kept costs the article's row alone."""
    prefetch_when_read(article, "tags", public_inspections())
    return {
        "article": article,
        "navigation": SimpleLazyObject(lambda: Article.objects.navigation_for(article)),
    }


def article_print(request, slug):
    article = get_object_or_404(Article.objects.published().for_listing(), slug=slug)
    context = {
        "article": article,
        "body": absolute_links(article.body),
        "canonical_path": article.get_absolute_url(),
        "canonical_url": absolute_url(article.get_absolute_url()),
    }
    return render(request, "blog/article_print.html", context)


def archive_period(year: int, month: int = 1) -> datetime.date:
    """The first day of an archive's period; 404 for a year or month no calendar has."""
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise Http404(_("There is no such year."))
    if not 1 <= month <= 12:
        raise Http404(_("There is no such month."))
    return datetime.date(year, month, 1)


def archive_year(request, year):
    period = archive_period(year)
    articles = Article.objects.published().filter(published_at__year=year)
    return render_listing(
        request,
        "blog/article_archive.html",
        articles,
        period=period,
        period_kind="year",
    )


def archive_month(request, year, month):
    period = archive_period(year, month)
    articles = Article.objects.published().filter(
        published_at__year=year, published_at__month=month
    )
    return render_listing(
        request,
        "blog/article_archive.html",
        articles,
        period=period,
        period_kind="month",
    )


def tag_detail(request, slug):
    tag = kept(request, f"blog:tag:{slug}", lambda: get_object_or_404(Tag, slug=slug))
    articles = Article.objects.published().tagged(tag)
    inspections = fragment(request, f"blog:tag-inspections:{tag.pk}", lambda: tag_inspections(tag))
    return render_listing(
        request, "blog/tag_detail.html", articles, tag=tag, inspections=inspections
    )


def tag_inspections(tag: Tag) -> str:
    """The tag page's list of its newest public inspections ("" when it has none)."""
    inspections = list(
        Inspection.objects.published()
        .tagged(tag)
        .select_related("inspectorate")
        .only("title", "slug", "published_on", "inspectorate__name", "inspectorate__short_name")
        .newest_first()[:TAG_PAGE_INSPECTIONS]
    )
    if not inspections:
        return ""
    return render_to_string("blog/_tag_inspections.html", {"inspections": inspections})


def category_detail(request, slug):
    category = kept(
        request, f"blog:category:{slug}", lambda: get_object_or_404(Category, slug=slug)
    )
    articles = Article.objects.published().filter(category=category)
    return render_listing(request, "blog/category_detail.html", articles, category=category)


def author_detail(request, username):
    lookup = {f"user__{get_user_model().USERNAME_FIELD}": username}
    profile = get_object_or_404(AuthorProfile.objects.select_related("user"), **lookup)
    articles = Article.objects.published().filter(author_id=profile.user_id)
    return render_listing(request, "blog/author_detail.html", articles, profile=profile)


def resourcepack_list(request):
    packs = ResourcePack.objects.all()
    facts = listing_facts(request, _("Resource packs"))
    return render(request, "blog/resourcepack_list.html", {"packs": packs, "page_facts": facts})


def resourcepack_detail(request, slug):
    pack = get_object_or_404(ResourcePack, slug=slug)
    items = pack.items.filter(
        Q(article__isnull=True) | Q(article__in=Article.objects.published())
    ).select_related("article")
    return render(request, "blog/resourcepack_detail.html", {"pack": pack, "items": items})


def legacy_redirect(request, slug):
    """WordPress-style /<slug>/ addresses: 301 to the article, else a flat page, else 404."""
    article = Article.objects.published().filter(slug=slug).only("slug").first()
    if article is not None:
        return HttpResponsePermanentRedirect(article.get_absolute_url())
    return flatpage(request, f"/{slug}/")

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from blog.models import Article, AuthorProfile, Category, ResourcePack, ResourcePackItem


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Writer{n}")


class AuthorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda p: f"{p.user.first_name} {p.user.last_name}")
    bio = "Writes about probation and prisons."


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    author = factory.LazyAttribute(lambda _: AuthorProfileFactory().user)
    standfirst = "What the inspectors found, and why it matters."
    body = "<h2>Findings</h2><p>Caseloads were too high.</p><ul><li>One</li><li>Two</li></ul>"
    category = factory.SubFactory(CategoryFactory)
    status = Article.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1)),
        )
        scheduled = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2)),
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class ResourcePackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourcePack

    title = factory.Sequence(lambda n: f"Resource pack {n}")
    slug = factory.Sequence(lambda n: f"pack-{n}")
    intro = "<p>Everything on one subject.</p>"
    promo_text = "Keep up with every development."


class ResourcePackItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourcePackItem

    pack = factory.SubFactory(ResourcePackFactory)
    url = "https://www.gov.uk/"
    title = "An external document"

import factory

from comments.models import Comment
from tests.factories import ArticleFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    target = factory.SubFactory(ArticleFactory, published=True)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.net")
    body = "A thoughtful remark about the report."
    status = Comment.Status.PENDING

    class Params:
        approved = factory.Trait(status=Comment.Status.APPROVED)
        spam = factory.Trait(status=Comment.Status.SPAM)
        removed = factory.Trait(status=Comment.Status.REMOVED)

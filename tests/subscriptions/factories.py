import factory
from django.utils import timezone

from subscriptions.models import Follow, Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.net")
    status = Subscriber.Status.ACTIVE
    frequency = Subscriber.Frequency.DAILY
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(status=Subscriber.Status.PENDING, confirmed_at=None)
        unsubscribed = factory.Trait(
            status=Subscriber.Status.UNSUBSCRIBED,
            unsubscribed_at=factory.LazyFunction(timezone.now),
        )
        suppressed = factory.Trait(status=Subscriber.Status.SUPPRESSED, bounce_count=3)
        each = factory.Trait(frequency=Subscriber.Frequency.EACH)
        weekly = factory.Trait(frequency=Subscriber.Frequency.WEEKLY)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        """Tag names: `SubscriberFactory(tags=["prisons"])` (tags are created as needed); a
        subscriber with tags follows only what it follows, like one who ticked them."""
        if create and extracted:
            from taggit.models import Tag

            self.tags.set([Tag.objects.get_or_create(name=name)[0] for name in extracted])
            self.everything = False
            Subscriber.objects.filter(pk=self.pk).update(everything=False)

    @factory.post_generation
    def follows(self, create, extracted, **kwargs):
        """Objects followed: `SubscriberFactory(follows=[organisation, inspectorate])`
        (an author is followed as their user); only those, not everything."""
        if create and extracted:
            from inspections.models import Inspectorate, Organisation

            kinds = {Organisation: Follow.Kind.ORGANISATION, Inspectorate: Follow.Kind.INSPECTORATE}
            for obj in extracted:
                kind = kinds.get(type(obj), Follow.Kind.AUTHOR)
                Follow.objects.create(subscriber=self, kind=kind, target_id=obj.pk)
            self.everything = False
            Subscriber.objects.filter(pk=self.pk).update(everything=False)

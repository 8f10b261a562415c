"""Keep the search index current: every save or delete that changes what a search entry says
queues an update of the affected documents, run once the transaction commits."""

from functools import partial

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from core.content import ContentKind, registry
from search.services import search_index_update, searchable_kinds


def _pks(objects) -> list[int]:
    if isinstance(objects, models.QuerySet):
        return list(objects.values_list("pk", flat=True))
    return [pk for pk in objects if pk is not None]


def _queue(kind: str, pks: list[int], using: str) -> None:
    if not pks:
        return
    update = partial(_update, kind)
    if registry.in_bulk():  # an import: one batched update per kind at the end
        registry.defer(f"search-{kind}", update, pks)
    else:
        transaction.on_commit(partial(update, pks), using=using)


def _update(kind: str, pks: list[int]) -> None:
    search_index_update(kind=kind, pks=pks)


def _connect_kind(kind: ContentKind) -> None:
    def object_changed(sender, instance, using="default", **kwargs):
        _queue(kind.key, [instance.pk], using)

    def links_changed(sender, instance, action, pk_set, using="default", **kwargs):
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        if isinstance(instance, kind.model):
            _queue(kind.key, [instance.pk], using)
        elif pk_set:  # changed from the other side: pk_set holds objects of this kind
            _queue(kind.key, list(pk_set), using)

    uid = f"search-{kind.key}"
    post_save.connect(object_changed, sender=kind.model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(object_changed, sender=kind.model, weak=False, dispatch_uid=f"{uid}-del")
    for field in kind.model._meta.many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(
            links_changed, sender=through, weak=False, dispatch_uid=f"{uid}-{through._meta.label}"
        )
    for n, (model, objects) in enumerate(kind.search_related):

        def related_changed(sender, instance, using="default", objects=objects, **kwargs):
            # On delete, asked before the row goes (its links are still there to follow).
            _queue(kind.key, _pks(objects(instance)), using)

        for signal, name in ((post_save, "save"), (pre_delete, "delete")):
            signal.connect(
                related_changed, sender=model, weak=False, dispatch_uid=f"{uid}-{n}-{name}"
            )


def connect() -> None:
    for kind in searchable_kinds():
        _connect_kind(kind)

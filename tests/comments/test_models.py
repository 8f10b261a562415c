import datetime

import pytest
from django.utils import timezone

from blog.models import Article
from comments.models import Comment, build_thread, comments_open_for, with_comment_counts
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_approved_queryset_and_is_public_agree(article):
    comments = [CommentFactory(target=article, status=status) for status in Comment.Status]
    public = set(Comment.objects.approved())
    for comment in comments:
        assert comment.is_public == (comment in public)


def test_thread_nests_replies_oldest_first(article):
    first = CommentFactory(target=article, approved=True, name="First")
    reply = CommentFactory(target=article, approved=True, parent=first, name="Reply")
    second = CommentFactory(target=article, approved=True, name="Second")

    thread = Comment.objects.thread_for(article)

    assert [node.comment for node in thread.nodes] == [first, second]
    assert [node.comment for node in thread.nodes[0].replies] == [reply]
    assert thread.nodes[0].replies[0].depth == 2
    assert thread.count == 3


def test_thread_shows_only_approved_comments_of_its_target(article):
    shown = CommentFactory(target=article, approved=True)
    for status in ("pending", "spam", "removed"):
        CommentFactory(target=article, status=status)
    CommentFactory(approved=True)  # another article

    thread = Comment.objects.thread_for(article)

    assert list(thread.comments.values()) == [shown]


def test_replies_deeper_than_the_limit_join_the_deepest_level(article, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    chain = [CommentFactory(target=article, approved=True, name="Level 1")]
    for level in range(2, 7):
        chain.append(
            CommentFactory(target=article, approved=True, parent=chain[-1], name=f"Level {level}")
        )

    nodes = Comment.objects.thread_for(article).nodes

    level_three = nodes[0].replies[0].replies
    assert [node.comment.name for node in level_three] == [
        "Level 3",
        "Level 4",
        "Level 5",
        "Level 6",
    ]
    assert {node.depth for node in level_three} == {3}
    assert [node.in_reply_to for node in level_three] == ["", "Level 3", "Level 4", "Level 5"]
    assert all(not node.replies for node in level_three)


def test_reply_to_a_hidden_comment_starts_its_own_thread(article):
    hidden = CommentFactory(target=article, removed=True)
    orphan = CommentFactory(target=article, approved=True, parent=hidden)

    nodes = Comment.objects.thread_for(article).nodes

    assert [(node.comment, node.depth) for node in nodes] == [(orphan, 1)]


def test_build_thread_survives_a_parent_cycle():
    one, two = Comment(pk=1, name="one"), Comment(pk=2, name="two")
    one.parent_id, two.parent_id = 2, 1
    assert build_thread([one, two], max_depth=3) == []


def test_comments_close_after_the_configured_days(article, settings, time_machine):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 180
    time_machine.move_to(article.published_at + datetime.timedelta(days=179))
    assert comments_open_for(article)
    time_machine.move_to(article.published_at + datetime.timedelta(days=180, seconds=1))
    assert not comments_open_for(article)
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert comments_open_for(article)


def test_comments_closed_by_the_article(article):
    article.comments_open = False
    assert not comments_open_for(article)


def test_comment_counts_are_annotated_in_the_listing_query(django_assert_num_queries):
    busy, quiet = ArticleFactory(published=True), ArticleFactory(published=True)
    CommentFactory.create_batch(3, target=busy, approved=True)
    CommentFactory(target=busy)  # pending
    CommentFactory(target=quiet, spam=True)

    with django_assert_num_queries(1):
        counts = {
            article.pk: article.comment_count
            for article in with_comment_counts(Article.objects.published())
        }

    assert counts == {busy.pk: 3, quiet.pk: 0}


def test_stop_token_finds_its_comment_and_rejects_forgeries(article):
    comment = CommentFactory(target=article)
    assert Comment.objects.from_stop_token(comment.stop_token()) == comment
    assert Comment.objects.from_stop_token(comment.stop_token() + "x") is None
    assert Comment.objects.from_stop_token("junk") is None


def test_comment_links_to_its_anchor_on_the_target(article):
    comment = CommentFactory(target=article, created=timezone.now())
    assert comment.get_absolute_url() == f"/articles/caseloads/#comment-{comment.pk}"

from django.urls import path

from comments import feeds, views

app_name = "comments"

# Included at the site root, before blog: the article comment feed lives under /articles/.
urlpatterns = [
    path("comments/feed/", feeds.LatestCommentsFeed(), name="comment-feed"),
    path(
        "comments/post/<str:target>/<int:object_id>/",
        views.comment_post,
        name="comment-post",
    ),
    path(
        "comments/replies/stop/<str:token>/",
        views.notification_stop,
        name="notification-stop",
    ),
    path(
        "articles/<slug:slug>/comments/feed/",
        feeds.TargetCommentsFeed(),
        {"target": "blog.article"},
        name="article-comment-feed",
    ),
]

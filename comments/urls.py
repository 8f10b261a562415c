from django.urls import path

from comments import feeds, views
from core.content import registry

app_name = "comments"

# Included at the site root: each commentable kind's feeds live under its own pages,
# e.g. /articles/<slug>/comments/feed/ as "comments:articles-comment-feed".
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
    *(
        path(
            f"{kind.path_prefix}/<slug:slug>/comments/feed/",
            feeds.TargetCommentsFeed(),
            {"target": kind.model_label},
            name=f"{kind.key}-comment-feed",
        )
        for kind in registry.kinds()
        if kind.commentable and kind.path_prefix
    ),
]

from django.urls import path

from subscriptions import views

app_name = "subscriptions"

# Included at /subscribe/.
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="subscription-confirm"),
    path("manage/<str:token>/", views.manage, name="subscription-manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="subscription-unsubscribe"),
    path("follow/", views.follow, name="follow"),
    path("follow/<str:token>/", views.follow_confirm_view, name="follow-confirm"),
]

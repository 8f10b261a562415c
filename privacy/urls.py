from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("request/", views.request_create, name="request-create"),
    path("data/<str:token>/", views.request_detail, name="request-detail"),
    path("data/<str:token>/download/", views.request_download, name="request-download"),
    path("data/<str:token>/erase/", views.request_erase, name="request-erase"),
]

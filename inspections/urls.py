from django.urls import path

from inspections import feeds, views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="inspection-list"),
    path("feed/", feeds.LatestInspectionsFeed(), name="inspection-feed"),
    path("compare/", views.compare, name="compare"),
    path("preview/<str:token>/", views.inspection_preview, name="inspection-preview"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<slug:slug>/feed/", feeds.OrganisationFeed(), name="organisation-feed"),
    path("inspectorates/<slug:slug>/feed/", feeds.InspectorateFeed(), name="inspectorate-feed"),
    path("data/", views.data, name="data"),
    path("data/<slug:name>.<slug:format>", views.data_download, name="data-download"),
    path("<slug:slug>/print/", views.inspection_print, name="inspection-print"),
    path("<slug:slug>/", views.inspection_detail, name="inspection-detail"),
]

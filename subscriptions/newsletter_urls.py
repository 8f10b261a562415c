from django.urls import path

from subscriptions import views

app_name = "newsletter"

# Included at /newsletter/: the public archive of sent digests.
urlpatterns = [
    path("", views.newsletter_list, name="newsletter-list"),
    path("<int:pk>/", views.newsletter_detail, name="newsletter-detail"),
]

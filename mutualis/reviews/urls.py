"""Pages of the reviews app."""

from django.urls import path

from mutualis.reviews import home, views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("en-bref/", home.home, name="home"),
    path("calculer/", views.review_compute, name="compute"),
    path("tableau-de-bord-des-elus/", views.officials_dashboard, name="dashboard"),
    path("<int:review_number>/", views.review_detail, name="detail"),
    path("<int:review_number>/publier/", views.review_publish, name="publish"),
    path("<int:review_number>/bilan.pdf", views.review_pdf, name="pdf"),
    path("<int:review_number>/bilan.csv", views.review_csv, name="csv"),
]

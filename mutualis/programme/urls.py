from django.urls import path

from mutualis.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.detail, name="detail"),
    path("choisir/", views.select, name="select"),
]

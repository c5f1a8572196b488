"""Pages of the awareness app."""

app_name = "awareness"
urlpatterns: list = []

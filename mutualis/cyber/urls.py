"""Pages of the cyber app."""

app_name = "cyber"
urlpatterns: list = []

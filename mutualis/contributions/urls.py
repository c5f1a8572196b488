"""Pages of the contributions app."""

app_name = "contributions"
urlpatterns: list = []

"""Pages of the information app."""

app_name = "information"
urlpatterns: list = []

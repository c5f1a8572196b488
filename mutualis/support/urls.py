"""Pages of the support app."""

app_name = "support"
urlpatterns: list = []

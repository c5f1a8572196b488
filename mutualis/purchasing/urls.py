"""Pages of the purchasing app."""

app_name = "purchasing"
urlpatterns: list = []

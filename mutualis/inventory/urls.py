"""Pages of the inventory app."""

app_name = "inventory"
urlpatterns: list = []

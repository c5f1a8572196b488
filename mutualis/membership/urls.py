"""Pages of the membership app."""

app_name = "membership"
urlpatterns: list = []

"""Pages of the continuity app."""

app_name = "continuity"
urlpatterns: list = []

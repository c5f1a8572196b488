"""The pages the bench measures, by figure name: each is read by a signed-in coordinator."""

ODARS = "31402"
SICOVAL = "243100633"

PAGES = [
    ("coordinator dashboard", "/tableau-de-bord/?scope=france"),
    ("commune page", f"/communes/{ODARS}/"),
    ("programme page", "/programme/"),
    ("API commune list", "/api/communes"),
]
TRIVIAL = ("trivial view", "/bench/trivial/")

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

# The dashboard as coordinators leaf through it: every page of France in each of its six sorts, in
# turn (4,200 addresses, more than a run requests), after a write that changes the communes table's
# token: every request misses the values kept under table tokens (core.versions) and computes its
# count and rows, the cold cost that the repeated views above skip.
DASHBOARD_LEAFING = (
    "coordinator dashboard, every page in turn",
    [
        f"/tableau-de-bord/?scope=france&sort={sort}&page={page}"
        for page in range(1, 701)
        for sort in ("name", "-name", "insee", "-insee", "population", "-population")
    ],
)

"""A council's budget settings and the resource allocation system (RAS): /budgets/settings/ and /budgets/ras/."""

urlpatterns: list = []

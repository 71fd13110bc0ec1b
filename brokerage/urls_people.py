"""People supported, consent, the team around the child, budgets, support plans, approvals and reviews."""

urlpatterns: list = []

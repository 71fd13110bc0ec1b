"""Views of the providers app: ``self_service`` and ``uploads`` for providers' own pages."""

"""Demo data: councils, their partners and providers, and one sign-in per role (``manage.py demo_data``)."""

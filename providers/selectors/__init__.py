"""Reads for the providers app: ``own`` for a provider's self-service pages, ``public`` for the directory."""

"""One module per domain, each with ``build(ctx: DemoContext) -> None``.

A builder creates its domain's demo rows if they are missing and records them on the context for the
builders after it (``demo.runner.BUILDERS`` runs them lowest layer first). It must be safe to run again:
match rows on a natural key and leave rows already there as they are (see ``demo.bulk.ensure_rows``).
"""

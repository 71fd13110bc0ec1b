"""The search index over the demo directory, so that the find-support page and the open API have
offers to show as soon as demo_data finishes.

The index is derived data: when it already matches the database (a second run), it is left alone;
otherwise it is rebuilt. The tally counts offers newly indexed and offers that were indexed already.
"""

from demo.context import DemoContext
from search.backends import get_backend

# Enough documents compared to notice a directory that changed since the last run.
VERIFY_SAMPLE = 25


def build(ctx: DemoContext) -> None:
    backend = get_backend()
    check = backend.verify(sample_size=VERIFY_SAMPLE)
    if check.ok:
        ctx.tally.record("Offers in the search index", created=0, existing=check.indexed)
        return
    with ctx.progress(total=check.expected, desc="Search index") as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        indexed = backend.rebuild(progress=progress)
    newly_indexed = len(check.missing)
    ctx.tally.record("Offers in the search index", created=newly_indexed, existing=indexed - newly_indexed)

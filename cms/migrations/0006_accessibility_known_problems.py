"""List what is known not to meet WCAG 2.2 AA in the accessibility statement (issue #15's sweep).

The accessibility crawl (tests/browser/test_crawl_axe.py, docs/testing.md "Accessibility crawl") found that
map pins on the find-support page can be smaller than 24 by 24 CSS pixels and overlap where many offers are
close together (WCAG 2.2, 2.5.8 target size). A statement must say so, and what to use instead.

The section goes in before "Reporting accessibility problems" (or at the end, if an editor has removed that
heading), and is published as a new revision, so the page's history in the CMS shows the change. A page that
already has the section (its blocks' ids) is left alone; editors may reword it later. Reversing removes the
section and publishes that as a revision too.
"""

import uuid

from django.db import migrations
from django.utils import timezone

SLUG = "accessibility-statement"
REPORTING_HEADING = "Reporting accessibility problems"
# Fixed ids, so that the section can be found again (to skip it, or to take it out when reversing).
HEADING_ID = "5b0e6d52-8f0c-4d55-9c43-2a4a1b7e0a58"
TEXT_ID = "0c9b2f71-3e2a-4f7e-a6d1-7a5f3c8b9d14"

KNOWN_PROBLEMS = [
    {"type": "heading", "value": "Parts of this service that are not fully accessible", "id": HEADING_ID},
    {
        "type": "text",
        "value": (
            "<p>We know about this problem:</p>"
            "<ul><li>On the find support page, the pins on the map can be smaller than 24 by 24 CSS pixels, "
            "and where many offers are close together the pins overlap, so they can be hard to see and to "
            "press or click. This does not meet WCAG 2.2 success criterion 2.5.8 (target size, minimum).</li></ul>"
            "<p>You do not need the map to find support. Every offer shown by a pin is also a result on the "
            "same page, with a full-size link to the offer, and the results work with a keyboard, a screen "
            "reader and without JavaScript.</p>"
        ),
        "id": TEXT_ID,
    },
]
OUR_IDS = {HEADING_ID, TEXT_ID}


def _statement(apps):
    StandardPage = apps.get_model("cms", "StandardPage")
    return StandardPage.objects.filter(slug=SLUG).order_by("path").first()


def _blocks(page):
    # The historical StreamField gives back the stored JSON (a list of {"type", "value", "id"}).
    raw = page.body.raw_data if hasattr(page.body, "raw_data") else page.body
    return [dict(block) for block in raw]


def _publish(apps, page, body):
    """Save the new body on the live page and record it as a published revision, as Wagtail's publish does."""
    from modelcluster.models import get_serializable_data_for_fields

    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    PageLogEntry = apps.get_model("wagtailcore", "PageLogEntry")

    now = timezone.now()
    page.body = body
    page_type = ContentType.objects.get(app_label="cms", model="standardpage")
    base_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    content = get_serializable_data_for_fields(page)
    content.update(live=True, has_unpublished_changes=False, last_published_at=now.isoformat())
    revision = Revision.objects.create(
        content_type=page_type,
        base_content_type=base_type,
        object_id=str(page.pk),
        created_at=now,
        user=None,
        object_str=page.title,
        content=content,
    )
    page.live_revision = revision
    # An editor's unpublished draft stays the latest revision; otherwise this one is.
    if not page.has_unpublished_changes:
        page.latest_revision = revision
        page.latest_revision_created_at = now
    page.last_published_at = now
    if page.first_published_at is None:
        page.first_published_at = now
    page.save()
    PageLogEntry.objects.create(
        content_type=page_type,
        page_id=page.pk,
        revision=revision,
        label=page.title,
        action="wagtail.publish",
        timestamp=now,
        data={},
        uuid=uuid.uuid4(),
    )


def add_known_problems(apps, schema_editor):
    page = _statement(apps)
    if page is None:
        return
    blocks = _blocks(page)
    if any(block.get("id") in OUR_IDS for block in blocks):
        return
    reporting = next(
        (
            index
            for index, block in enumerate(blocks)
            if block.get("type") == "heading" and block.get("value") == REPORTING_HEADING
        ),
        len(blocks),
    )
    _publish(apps, page, blocks[:reporting] + KNOWN_PROBLEMS + blocks[reporting:])


def remove_known_problems(apps, schema_editor):
    page = _statement(apps)
    if page is None:
        return
    blocks = _blocks(page)
    kept = [block for block in blocks if block.get("id") not in OUR_IDS]
    if len(kept) != len(blocks):
        _publish(apps, page, kept)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_market_position_statement"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_known_problems, remove_known_problems)]

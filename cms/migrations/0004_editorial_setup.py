"""Set up what editors need on every deployment:

- the "Council review" workflow (one group approval task, for the Moderators group) on the root page, so
  that every page goes draft -> in review -> published; councils' own sections get a workflow of their
  own when they are created (cms.services.council_section_create);
- the news and events pages the navigation links to;
- the site settings: the site's name, its navigation and its footer links.
"""

import uuid

from django.db import migrations

WORKFLOW_NAME = "Council review"
MODERATORS = "Moderators"  # the group Wagtail creates; its members approve pages for the whole site

INDEX_PAGES = [
    ("news", "News", "cms", "newsindexpage", "What has changed, and what is coming, for families and providers."),
    ("events", "Events", "cms", "eventindexpage", "Provider forums, family sessions and training near you."),
]


def _link(label, page_id=None, url=""):
    return {"type": "link", "value": {"label": label, "page": page_id, "url": url}, "id": str(uuid.uuid4())}


def create_review_workflow(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Page = apps.get_model("wagtailcore.Page")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")

    if Workflow.objects.filter(name=WORKFLOW_NAME).exists():
        return
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME, content_type=task_type, active=True)
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    root = Page.objects.get(depth=1)
    replaced = WorkflowPage.objects.filter(page=root).values_list("workflow_id", flat=True).first()
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    # Wagtail's own default workflow does the same job; retire it so that editors see one choice.
    if replaced and not WorkflowPage.objects.filter(workflow_id=replaced).exists():
        Workflow.objects.filter(pk=replaced).update(active=False)


def create_index_pages(apps, home):
    ContentType = apps.get_model("contenttypes.ContentType")
    pages = {}
    for slug, title, app_label, model_name, intro in INDEX_PAGES:
        model = apps.get_model(app_label, model_name)
        existing = model.objects.filter(path__startswith=home.path, depth=home.depth + 1).first()
        if existing:
            pages[slug] = existing
            continue
        last_child = (
            apps.get_model("wagtailcore.Page")
            .objects.filter(path__startswith=home.path, depth=home.depth + 1)
            .order_by("-path")
            .first()
        )
        position = int(last_child.path[-4:], 36) + 1 if last_child else 1
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
        pages[slug] = model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=f"{home.path}{_base36(position)}",
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{slug}/",
            locale_id=home.locale_id,
            live=True,
            intro=intro,
        )
        home.numchild += 1
        home.save(update_fields=["numchild"])
    return pages


def _base36(number):
    # Treebeard's materialised paths are four base-36 digits per level.
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    for _ in range(4):
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
    return text


def create_site_settings(apps, site, index_pages):
    SiteSettings = apps.get_model("cms", "SiteSettings")
    StandardPage = apps.get_model("cms", "StandardPage")
    if SiteSettings.objects.filter(site=site).exists():
        return
    by_slug = {page.slug: page.pk for page in StandardPage.objects.filter(depth=3)}
    SiteSettings.objects.create(
        site=site,
        site_name="Support Exchange",
        navigation=[
            _link("Families", by_slug.get("for-families")),
            _link("Providers and PAs", by_slug.get("for-providers")),
            _link("Professionals", by_slug.get("for-professionals")),
            _link("News", index_pages["news"].pk),
            _link("Events", index_pages["events"].pk),
        ],
        footer_links=[
            _link("Accessibility statement", by_slug.get("accessibility-statement")),
            _link("Privacy notice", by_slug.get("privacy-notice")),
            _link("Cookies", by_slug.get("cookies")),
        ],
        footer_text=(
            "Support Exchange helps families, young people and professionals find and pay for support "
            "with a personal budget."
        ),
    )


def set_up_editorial(apps, schema_editor):
    create_review_workflow(apps)
    HomePage = apps.get_model("cms", "HomePage")
    Site = apps.get_model("wagtailcore", "Site")
    home = HomePage.objects.order_by("path").first()
    site = Site.objects.filter(is_default_site=True).first()
    if home is None or site is None:
        return
    index_pages = create_index_pages(apps, home)
    create_site_settings(apps, site, index_pages)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_content_pages"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(set_up_editorial, migrations.RunPython.noop)]

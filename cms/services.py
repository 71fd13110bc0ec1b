"""Writes for the CMS: councils' own sections, and who may edit and approve the pages in them.

Each council section gets two Wagtail groups with permissions on that section only:

- ``<council> editors`` may add and change pages and submit them for review, but not publish;
- ``<council> moderators`` may also publish, and approve or reject pages in the council's review.

Page permissions in Wagtail apply to a page and everything under it, so an editor of one council has
no permission at all on another council's section. A workflow of the council's own (its moderators
approve) replaces the site-wide "Council review" for pages in the section.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.events import audit_record
from accounts.models import Organisation, User
from cms.models import CouncilIndexPage

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = (*EDITOR_PAGE_PERMISSIONS, "publish_page", "lock_page", "unlock_page")
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtailimages", "change_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtaildocs", "change_document"),
)


@dataclass(frozen=True)
class CouncilEditorGroups:
    editors: Group
    moderators: Group


def council_group_names(council: Organisation) -> tuple[str, str]:
    return f"{council.name} editors", f"{council.name} moderators"


@transaction.atomic
def council_section_create(
    *, council: Organisation, parent: Page, intro: str, actor: User | None = None, slug: str = ""
) -> CouncilIndexPage:
    """Publish a council's own section under ``parent`` and set up its editors, moderators and review."""
    section = CouncilIndexPage(title=council.name, slug=slug or council.slug, council=council, intro=intro)
    parent.add_child(instance=section)  # validates the page (full_clean) as it saves
    section.save_revision(user=actor).publish(user=actor)
    groups = _council_groups_create(council=council, section=section)
    _council_workflow_create(council=council, section=section, moderators=groups.moderators)
    audit_record(
        actor=actor,
        action="cms.council_section_created",
        target=section,
        council=council,
        summary=f"Content section created for {council.name}, with its editors' and moderators' groups",
    )
    return section


@transaction.atomic
def council_editor_add(
    *, council: Organisation, user: User, can_publish: bool = False, actor: User | None = None
) -> Group:
    """Let ``user`` edit the council's pages; with ``can_publish``, also approve and publish them."""
    editors_name, moderators_name = council_group_names(council)
    group = Group.objects.get(name=moderators_name if can_publish else editors_name)
    user.groups.add(group)
    audit_record(
        actor=actor,
        action="cms.council_editor_added",
        target=user,
        council=council,
        summary=f"{user} added to {group.name}",
        data={"group": group.name},
    )
    return group


def _council_groups_create(*, council: Organisation, section: CouncilIndexPage) -> CouncilEditorGroups:
    editors_name, moderators_name = council_group_names(council)
    editors, _ = Group.objects.get_or_create(name=editors_name)
    moderators, _ = Group.objects.get_or_create(name=moderators_name)
    collection = _council_collection(council)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    media = [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in MEDIA_PERMISSIONS]
    for group, page_codenames in ((editors, EDITOR_PAGE_PERMISSIONS), (moderators, MODERATOR_PAGE_PERMISSIONS)):
        group.permissions.add(access_admin)
        for codename in page_codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=section, permission=permission)
        for permission in media:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    return CouncilEditorGroups(editors=editors, moderators=moderators)


def _council_collection(council: Organisation) -> Collection:
    """A collection for the council's images and documents, so its editors can choose only their own."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=council.name).first()
    return existing or root.add_child(name=council.name)


def _council_workflow_create(*, council: Organisation, section: CouncilIndexPage, moderators: Group) -> Workflow:
    name = f"Council review: {council.name}"
    task, _ = GroupApprovalTask.objects.get_or_create(name=name)
    task.groups.add(moderators)
    workflow, created = Workflow.objects.get_or_create(name=name)
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})
    return workflow

"""Draft -> in review -> published: editors submit, moderators approve, and only then is a page live."""

import pytest
from wagtail.models import WorkflowState

from cms.tests.editors import site_editor, site_moderator
from cms.tests.pages import guide, home

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_guide():  # type: ignore[no-untyped-def]
    editor = site_editor(email="alice@example.org")
    page = guide("Employing a personal assistant", live=False, owner=editor)
    home().add_child(instance=page)
    page.save_revision(user=editor)
    return page, editor


def test_every_page_is_reviewed_in_the_council_review_workflow(draft_guide):
    page, _ = draft_guide

    workflow = page.get_workflow()

    assert workflow.name == "Council review"
    assert [task.name for task in workflow.tasks] == ["Council review"]


def test_an_editor_may_submit_but_not_publish(draft_guide):
    page, editor = draft_guide

    permissions = page.permissions_for_user(editor)

    assert permissions.can_submit_for_moderation()
    assert not permissions.can_publish()


def test_a_submitted_page_is_in_review_and_not_yet_live(client, draft_guide):
    page, editor = draft_guide

    page.get_workflow().start(page, editor)
    page.refresh_from_db()

    assert page.workflow_in_progress
    assert page.status_string == "in moderation"
    assert not page.live
    assert client.get(page.url or f"/{page.slug}/").status_code == 404


def test_the_editor_cannot_approve_their_own_page(draft_guide):
    page, editor = draft_guide
    page.get_workflow().start(page, editor)

    task = page.current_workflow_task

    assert task.get_actions(page, editor) == []


def test_a_moderator_approving_the_page_publishes_it(client, draft_guide):
    page, editor = draft_guide
    moderator = site_moderator(email="bob@example.org")
    page.get_workflow().start(page, editor)

    page.current_workflow_task.on_action(page.current_workflow_task_state, moderator, "approve")
    page.refresh_from_db()

    assert page.live and not page.workflow_in_progress
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == WorkflowState.STATUS_APPROVED
    assert page.live_revision.user == editor
    assert "Employing a personal assistant" in client.get(page.url).content.decode()


def test_a_moderator_asking_for_changes_leaves_the_page_unpublished(draft_guide):
    page, editor = draft_guide
    moderator = site_moderator(email="bob@example.org")
    page.get_workflow().start(page, editor)

    page.current_workflow_task.on_action(page.current_workflow_task_state, moderator, "reject")
    page.refresh_from_db()

    assert not page.live
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == WorkflowState.STATUS_NEEDS_CHANGES

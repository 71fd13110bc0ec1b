"""Each council edits only its own section: its editors have no permission on another council's pages."""

import pytest
from wagtail.models import GroupPagePermission

from accounts.models import AuditEvent
from accounts.tests.factories import CouncilFactory, UserFactory
from cms.models import GuidePage
from cms.services import council_editor_add, council_section_create
from cms.tests.pages import guide, home, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():  # type: ignore[no-untyped-def]
    coventry = CouncilFactory(name="Coventry City Council", slug="coventry")
    gloucestershire = CouncilFactory(name="Gloucestershire County Council", slug="gloucestershire")
    sections = {
        council.slug: council_section_create(council=council, parent=home(), intro=f"Pages from {council.name}.")
        for council in (coventry, gloucestershire)
    }
    return coventry, gloucestershire, sections


def _edit_url(page) -> str:  # type: ignore[no-untyped-def]
    return f"/cms-admin/pages/{page.pk}/edit/"


def _refused(response) -> bool:  # type: ignore[no-untyped-def]
    # Wagtail's admin answers a page the user may not edit with 403, or a redirect to the admin home.
    return response.status_code == 403 or (response.status_code == 302 and "/edit/" not in response["Location"])


def test_a_council_editor_can_open_their_own_councils_pages(client, councils):
    coventry, _, sections = councils
    alice = UserFactory(email="alice@coventry.example")
    council_editor_add(council=coventry, user=alice)
    own_guide = publish(sections["coventry"], guide("Short breaks in Coventry"))
    client.force_login(alice)

    assert client.get(_edit_url(own_guide)).status_code == 200
    assert client.get(_edit_url(sections["coventry"])).status_code == 200


def test_a_council_editor_cannot_edit_another_councils_pages(client, councils):
    coventry, _, sections = councils
    alice = UserFactory(email="alice@coventry.example")
    council_editor_add(council=coventry, user=alice)
    other_guide = publish(sections["gloucestershire"], guide("Short breaks in Gloucestershire"))
    client.force_login(alice)

    assert _refused(client.get(_edit_url(other_guide)))
    assert _refused(client.get(_edit_url(sections["gloucestershire"])))
    assert _refused(client.get(f"/cms-admin/pages/add/cms/guidepage/{sections['gloucestershire'].pk}/"))


def test_a_council_editor_cannot_edit_the_shared_pages(client, councils):
    coventry, _, _ = councils
    alice = UserFactory(email="alice@coventry.example")
    council_editor_add(council=coventry, user=alice)
    client.force_login(alice)

    assert _refused(client.get(_edit_url(home())))


def test_a_council_editor_may_submit_but_only_the_councils_moderator_may_publish(councils):
    coventry, gloucestershire, sections = councils
    alice, carol, dave = (UserFactory() for _ in range(3))
    council_editor_add(council=coventry, user=alice)
    council_editor_add(council=coventry, user=carol, can_publish=True)
    council_editor_add(council=gloucestershire, user=dave, can_publish=True)
    page = guide("Direct payments in Coventry", live=False, owner=alice)
    sections["coventry"].add_child(instance=page)
    page.save_revision(user=alice)

    assert not page.permissions_for_user(alice).can_publish()
    assert page.permissions_for_user(carol).can_publish()
    assert not page.permissions_for_user(dave).can_edit()


def test_a_councils_pages_are_reviewed_by_its_own_moderators(councils):
    coventry, gloucestershire, sections = councils
    alice, carol, dave = (UserFactory() for _ in range(3))
    council_editor_add(council=coventry, user=alice)
    council_editor_add(council=coventry, user=carol, can_publish=True)
    council_editor_add(council=gloucestershire, user=dave, can_publish=True)
    page = guide("Direct payments in Coventry", live=False, owner=alice)
    sections["coventry"].add_child(instance=page)
    page.save_revision(user=alice)

    page.get_workflow().start(page, alice)
    task = page.current_workflow_task

    assert page.get_workflow().name == "Council review: Coventry City Council"
    assert task.get_actions(page, dave) == []  # Gloucestershire's moderator cannot approve it
    task.on_action(page.current_workflow_task_state, carol, "approve")
    assert GuidePage.objects.get(pk=page.pk).live


def test_setting_up_a_council_section_is_audited_and_scoped_to_its_section(councils):
    coventry, _, sections = councils

    permissions = GroupPagePermission.objects.filter(group__name="Coventry City Council editors")

    assert {permission.page_id for permission in permissions} == {sections["coventry"].pk}
    assert AuditEvent.objects.filter(action="cms.council_section_created", council=coventry).exists()

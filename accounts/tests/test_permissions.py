import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.middleware import ActingMembershipMiddleware
from accounts.permissions import SESSION_KEY, role_required
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, MembershipFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@role_required(Role.COMMISSIONER, Role.QA_OFFICER)
def council_view(request):
    return HttpResponse(f"{request.acting.role}:{request.council.name}")


def _request(user, session=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/somewhere/")
    request.user = user or AnonymousUser()
    request.session = session or {}
    ActingMembershipMiddleware(lambda r: HttpResponse())(request)
    return request


def test_anonymous_visitors_are_sent_to_sign_in():
    response = council_view(_request(None))

    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=/somewhere/")


def test_a_user_without_the_role_is_refused_with_403():
    with pytest.raises(PermissionDenied):
        council_view(_request(user_with_role(Role.FAMILY_MEMBER)))


def test_an_ended_membership_gives_no_access():
    user = user_with_role(Role.COMMISSIONER)
    user.memberships.update(is_active=False)

    with pytest.raises(PermissionDenied):
        council_view(_request(user))


def test_membership_of_a_closed_organisation_gives_no_access():
    user = user_with_role(Role.COMMISSIONER)
    user.memberships.get().organisation.__class__.objects.update(is_active=False)

    with pytest.raises(PermissionDenied):
        council_view(_request(user))


def test_view_acts_in_the_membership_with_the_role_and_its_council():
    coventry = CouncilFactory(name="Coventry")
    user = user_with_role(Role.QA_OFFICER, coventry)

    response = council_view(_request(user))

    assert response.content == b"qa_officer:Coventry"


def test_the_membership_chosen_in_the_session_wins_when_it_has_the_role():
    coventry, devon = CouncilFactory(name="Coventry"), CouncilFactory(name="Devon")
    user = user_with_role(Role.COMMISSIONER, coventry)
    chosen = MembershipFactory(user=user, organisation=devon, role=Role.COMMISSIONER)

    response = council_view(_request(user, {SESSION_KEY: chosen.pk}))

    assert response.content == b"commissioner:Devon"


def test_staff_status_alone_does_not_grant_a_council_role():
    with pytest.raises(PermissionDenied):
        council_view(_request(UserFactory(is_staff=True, is_superuser=True)))

"""Signing in and out, and resetting a password."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from accounts.forms import ChangePasswordForm, NewPasswordForm, ResetRequestForm, SignInForm
from accounts.sso.selectors import enabled_sign_ons
from accounts.sso.services import councils_requiring_sign_on


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        context["council_sign_on_available"] = enabled_sign_ons().exists()
        return context

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        # A council that signs its staff in through its own identity provider may turn passwords off
        # for them (docs/sign-in.md, "Single sign-on"). Said only once the password was right.
        councils = councils_requiring_sign_on(form.get_user())
        if councils:
            names = " or ".join(council.name for council in councils)
            form.add_error(None, f"{names} asks its staff to sign in with their council account, not a password")
            return self.form_invalid(form)
        return super().form_valid(form)


class SignOutView(auth_views.LogoutView):
    pass


class ResetRequestView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:dashboard")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        from django.contrib import messages

        messages.success(self.request, "Your password has been changed")
        return super().form_valid(form)

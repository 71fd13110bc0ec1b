"""Two-step verification: a security code from an authenticator app (TOTP) after the password, with
single-use recovery codes, on django-otp's TOTP and static devices.

``policy`` says who must use it and whether a session has passed it; ``services`` changes devices;
``middleware`` sends a signed-in user to the code step or to set up an app before any other page.
See docs/sign-in.md.
"""

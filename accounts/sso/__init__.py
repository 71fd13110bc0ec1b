"""Single sign-on for council staff through each council's own OpenID Connect provider."""

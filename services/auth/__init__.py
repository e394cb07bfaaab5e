"""Accounts, sign-in sessions, two-factor codes, API tokens and sign-in throttling."""

"""Invites to the team (D47): routes, and what they call."""

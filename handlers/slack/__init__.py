"""Slack: the Bolt app's factory (``app.py``), its listeners, its renderers (Block Kit) and
the core's ports over Slack's Web API."""

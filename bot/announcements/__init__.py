"""Session-start, schedule-change and organizer announcements, each posted exactly once.

Platform-free: the Slack (or any other) adapter supplies a ``Poster`` and renders messages.
"""

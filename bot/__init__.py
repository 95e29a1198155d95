"""awair-bot's platform-free core: schedule, readings, announcements, unconference, storage.

Nothing in this package imports a chat platform's SDK; adapters live in ``handlers/``.
"""

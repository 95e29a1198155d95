"""The local console: the core's commands typed in a terminal, answered in plain text."""

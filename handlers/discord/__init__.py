"""The Discord adapter: application commands, buttons, announcements and the Events tab."""

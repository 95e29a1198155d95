"""Personal agendas: each person picks sessions, sees their own day, is reminded of just
those, and carries them in a private calendar feed. Who picked what is private to each
person; organizers see counts only."""

"""Every command of the bot, platform-free: one module each, owning its grammar, usage, who
may run it, its rules and effects, and returning a value for the adapter to render.
``runner`` holds the command table and the one way to run them."""

"""Platform adapters, one package each: ``handlers/slack/``. Each turns its platform's
payloads into the core's callers and text, renders the outcomes, and implements the core's
ports; none holds a rule of the bot."""

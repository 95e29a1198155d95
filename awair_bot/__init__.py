"""The awair-bot process: command line, local console, HTTP and Socket Mode runners."""

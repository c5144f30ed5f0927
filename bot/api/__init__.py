"""The HTTP surfaces beside Slack's: the replies they share, and the read API for analysts."""

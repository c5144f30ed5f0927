"""The pure core: plain data and rules, no Slack, no SQL, no I/O."""

"""Pure builders of Slack messages and views over slack_sdk.models; no I/O."""

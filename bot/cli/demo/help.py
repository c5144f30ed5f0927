"""The demo's own help: what a person can type (terminal text, not the bot's words)."""

from __future__ import annotations

HELP = """You are {name}, a scout at Acme Corp, in a direct message with Value Scout.
Type a message to talk to the bot. Each message is shown with a number like [m12], and
each control on it with a number like 2[Partly]; use any of them, on older messages too:
  /use m12 2             click button 2 of message m12 (or name it: /use m12 Partly)
  /use m12 5 Executive   pick from a menu, a ⋯ overflow menu or radio buttons
  /use m12 6 Sales       tick or untick a checkbox
  /use m12 8 2026-12-31  pick a date
  /click LABEL [n]       click the newest button with that label: /click Submit, /click Edit 3
  /say #general TEXT     post in a channel as yourself    /shortcut m12  log it as a discovery
  /set N ANSWER          fill field N of an open form      /submit, /close  send or close it
  /scout [help]          the slash command                 /home          the App Home tab
  /as NAME               play someone else (sam, alex, dana, sally, casey)
  /team globex           move to the other workspace (`valuescout demo --workspaces 2`)
  /wait 2h               let time pass (30m, 2h, 7d): reminders, drafts, nudges, digests
  /channels              what landed in each channel       /help          this text
  /digest [route]        this week's digests so far, sent now (a route's id, such as sales,
                         or coach, scout)
  /sample                add 12 weeks of sample history, so the digests have something to show
  /quit                  leave (Ctrl-D works too)"""


def unknown(command: str, known: list[str]) -> str:
    """The answer to a command the demo does not have: what there is."""
    return f"   there is no {command} here; try {', '.join(known)} (/help explains them)\n"

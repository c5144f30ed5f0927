"""Insight for product managers: value by theme, from `/scout themes` and in the digests."""

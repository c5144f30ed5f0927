"""Weekly digests: figures aggregated in SQL, composed, rendered, sent exactly once per period."""

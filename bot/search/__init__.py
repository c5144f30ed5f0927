"""Finding discoveries by their words: `/scout search`, over the database's full-text index."""

"""Side effects: the map from domain event to effects, the outbox work they queue, webhooks."""

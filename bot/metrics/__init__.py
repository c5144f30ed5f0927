"""Prometheus metrics: what each process counts (meters), what the database says when
scraped (database), how a scrape is served (exposition), and the folder Gunicorn's workers
share (multiprocess)."""

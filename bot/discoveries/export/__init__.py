"""Export discoveries with their routes and status history, for analysts (CSV or JSONL).

JSONL: one JSON object per discovery and line, with nested "routes", "history" and
"supporters" lists (supporters: the other accounts counted in it, each with its value).
Both carry the answer to every question added in prompts/dialogue.yaml under its key.
CSV: one row per discovery in the order of export_columns(); "themes" is joined with "; ",
while "routes", "history", "supporters" and structured answers (a value, an event, several
choices) hold compact JSON (one cell, so the file stays one row per discovery and can still
go to stdout). Timestamps are ISO 8601 in UTC (…Z), amounts are decimal strings, text is
UTF-8; a CSV cell that a spreadsheet would take for a formula (= + - @, tab, CR) starts with
an apostrophe. Rows are read in batches by id, so memory stays flat however large the table.

- options.py: the command's options, checked before any database work
- reading.py: the discoveries and their related rows, batch by batch
- records.py: one discovery as a plain record, in column order
- formats.py: records as CSV rows or JSON lines
- run.py: the export written to stdout or atomically to a file
"""

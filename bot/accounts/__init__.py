"""Customer accounts: the CSV import from the CRM, listing, merging, and matching typed names."""

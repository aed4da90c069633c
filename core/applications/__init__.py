"""Applications: capture and save, status moves, reads for the list and the detail view,
the paperwork and printouts, and the words the screens show."""

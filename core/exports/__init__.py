"""The applications list written to a file: CSV and Excel, whole or not at all."""

"""Printing and PDF for the detail view: the repayment plan, the application summary and
the consent form (content from core.applications.printouts) laid out by QTextDocument with a CJK
font, previewed, printed, and kept as an encrypted PDF attachment of the application."""

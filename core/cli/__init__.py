"""The command line: its arguments, IT's recovery commands and the head-office commands
(enroll, sync, bundles, exports)."""

"""Staff accounts: sign-in and the first administrator, who may do what, who is acting,
and why personal data is revealed."""

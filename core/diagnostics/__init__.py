"""What IT looks at: the health check, the diagnostics export, the About facts and the
records of crashes."""

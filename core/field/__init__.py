"""What the field managers' screens call: the dashboard's figures, the Excel export,
offline bundles and the catalog."""

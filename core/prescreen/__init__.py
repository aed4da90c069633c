"""Pre-screening one application (PASS / REFER / DECLINE): the outcome and its receipt,
the local facts, the checks, the pack's parameters, the review attempts, and rebuilding
a receipt from what was stored."""

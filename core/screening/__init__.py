"""The parts of pre-screening around the decision graph: pack parameters, the local
facts the checks need, and the checks themselves. :mod:`core.prescreen` is the entry."""

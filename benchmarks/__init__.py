"""`make bench`: speed and memory, each figure beside a baseline measured in the same run."""

"""The audit log's protection: the checkpoint of its chain, the copies of the checkpoint
outside the database, and the words for its findings."""

"""The learner files are inputs of the command, not tests: pytest leaves them alone (one
of them raises when imported, on purpose)."""

collect_ignore = ["learner_pieces"]

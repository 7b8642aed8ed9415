"""A learner's file with a mistake outside any piece: it raises as soon as it is imported."""

SCALE = 1 / 0

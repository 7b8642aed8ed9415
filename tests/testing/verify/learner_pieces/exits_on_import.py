"""A learner's script whose top level ends with sys.exit(): the piece is defined, but
importing the file would end the process unless verify stops that."""

import sys


def cross_entropy(logits, target):
    return (logits.exp().sum(1).log() - logits.gather(1, target[:, None]).squeeze(1)).mean()


# ... the training that this script was written for would run here ...
sys.exit(0)

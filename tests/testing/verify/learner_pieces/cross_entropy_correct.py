"""A learner's cross-entropy, right: the log-sum-exp trick, from logits."""


def cross_entropy(logits, target):
    # The row max is subtracted first, so that no exp overflows; the shift cancels out.
    shifted = logits - logits.max(dim=1, keepdim=True).values
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    return -log_probs.gather(1, target.unsqueeze(1)).mean()

"""A learner's cross-entropy without the max shift: right for ordinary logits, inf and NaN
once exp overflows."""


def cross_entropy(logits, target):
    log_probs = logits - logits.exp().sum(dim=1, keepdim=True).log()
    return -log_probs.gather(1, target.unsqueeze(1)).mean()

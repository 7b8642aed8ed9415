"""A learner's Linear with a bug no diagnosis knows: it squares its output. It builds on
the learner's right layer in the file beside it, without its options."""

from linear_correct import Linear as RightLinear


class Linear(RightLinear):
    def __init__(self, in_features, out_features):
        super().__init__(in_features, out_features)

    def forward(self, x):
        return super().forward(x) ** 2

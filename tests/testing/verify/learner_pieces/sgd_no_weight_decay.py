"""A learner's SGD that takes weight_decay and forgets to use it."""

import torch


class SGD:
    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        self.params = list(params)
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.buffers = [None] * len(self.params)

    def zero_grad(self):
        for param in self.params:
            param.grad = None

    def step(self):
        with torch.no_grad():
            for index, param in enumerate(self.params):
                grad = param.grad
                if self.momentum:
                    if self.buffers[index] is None:
                        self.buffers[index] = grad.clone()
                    else:
                        self.buffers[index].mul_(self.momentum).add_(grad)
                    grad = self.buffers[index]
                param.add_(grad, alpha=-self.lr)

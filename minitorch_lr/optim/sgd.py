r"""SGD: stochastic gradient descent, with momentum. Mirrors ``torch.optim.SGD``.

The chapter's minibatch SGD, ``param -= lr * param.grad`` for each parameter, plus the
options torch's SGD has: weight decay, momentum (with dampening), Nesterov momentum and
``maximize``. It is written as one plain loop over the parameters, the update rule
below line by line, and gives torch's numbers: same operations, same order.

Left out: tensor-valued ``lr`` and ``weight_decay``, and the ``foreach``, ``fused`` and
``differentiable`` switches (ways torch computes the same update faster or through
autograd; the update itself does not change).
"""

import torch

from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum, weight decay and Nesterov.

    For each parameter :math:`\theta` whose gradient :math:`g = \nabla_\theta \ell` is not
    ``None``, one step with learning rate :math:`\gamma`, weight decay :math:`\lambda`,
    momentum :math:`\mu` and dampening :math:`\tau` computes, in this order:

    .. math::

        \begin{aligned}
        g &\leftarrow -g                      && \text{if maximize} \\
        g &\leftarrow g + \lambda \theta      && \text{if } \lambda \ne 0 \\
        b &\leftarrow g                       && \text{if } \mu \ne 0 \text{, on the first step} \\
        b &\leftarrow \mu b + (1 - \tau) g    && \text{if } \mu \ne 0 \text{, on later steps} \\
        g &\leftarrow g + \mu b               && \text{if } \mu \ne 0 \text{ and nesterov} \\
        g &\leftarrow b                       && \text{if } \mu \ne 0 \text{ otherwise} \\
        \theta &\leftarrow \theta - \gamma g
        \end{aligned}

    ``maximize`` climbs the objective instead of descending it. Weight decay adds the
    gradient of the L2 penalty :math:`\tfrac{\lambda}{2}\|\theta\|^2`, before momentum, so
    the buffer carries it too. Nesterov's form steps along the gradient plus the momentum
    it is about to add, a look one step ahead.

    The momentum buffer :math:`b` starts as the gradient itself, not as zeros, so
    dampening first acts on the second step. :math:`\gamma` multiplies the whole step
    rather than sitting inside :math:`b` (as in Sutskever et al.'s form), so a new
    learning rate scales the step at once, past velocity included. The buffer lives in
    ``state[param]['momentum_buffer']``, which exists from a parameter's first step with
    momentum on.

    Every hyperparameter is a Python number, so a step never waits for the device.

    Args:
        params: tensors, or dicts of tensors and per-group hyperparameters.
        lr: learning rate :math:`\gamma`.
        momentum: momentum factor :math:`\mu`.
        dampening: dampening :math:`\tau` of the gradient's share in the buffer.
        weight_decay: L2 penalty :math:`\lambda`.
        nesterov: use Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
        maximize: ascend the objective instead of descending it.

    A group holds exactly these six hyperparameters besides ``'params'``. torch's SGD
    groups also hold ``foreach``, ``fused`` and ``differentiable``: torch fills them in
    with its defaults when it loads a state dict without them, and this SGD, loading
    torch's, keeps them and ignores them. So state dicts load either way.

    Example::

        >>> weight = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = SGD([weight], lr=0.1, momentum=0.9)
        >>> (weight**2).sum().backward()
        >>> optimizer.step()
        >>> weight
        tensor([ 0.8000, -1.6000], requires_grad=True)
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        momentum=0,
        dampening=0,
        weight_decay=0,
        nesterov=False,
        *,
        maximize=False,
    ):
        for name, value in (("lr", lr), ("weight_decay", weight_decay)):
            if isinstance(value, torch.Tensor):
                raise TypeError(
                    f"{name} must be a Python number, got a tensor of shape "
                    f"{tuple(value.shape)}: tensor hyperparameters are not supported"
                )
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def load_state_dict(self, state_dict):
        """As :meth:`Optimizer.load_state_dict`; a group saved before SGD had ``nesterov``
        and ``maximize`` (older torch releases) gets ``False`` for them, as torch's SGD
        gives it."""
        super().load_state_dict(state_dict)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)

    def step(self, closure=None):
        """Update every parameter that has a gradient; return ``closure()``'s loss if given.

        ``closure`` reevaluates the model and returns the loss; it runs with autograd on,
        before the update.
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        # The update itself is not part of any model: autograd must not record it.
        with torch.no_grad():
            for group in self.param_groups:
                self._update_group(group)
        return loss

    def _update_group(self, group):
        lr = group["lr"]
        momentum = group["momentum"]
        dampening = group["dampening"]
        weight_decay = group["weight_decay"]
        nesterov = group["nesterov"]
        maximize = group["maximize"]
        for param in group["params"]:
            if param.grad is None:
                continue
            # Out-of-place updates of `grad` below: param.grad itself is left as it was.
            grad = param.grad
            if maximize:
                grad = -grad
            if weight_decay != 0:
                grad = grad.add(param, alpha=weight_decay)
            if momentum != 0:
                state = self.state[param]
                momentum_buffer = state.get("momentum_buffer")
                if momentum_buffer is None:
                    # A copy: the next backward pass accumulates into param.grad.
                    momentum_buffer = grad.clone()
                    state["momentum_buffer"] = momentum_buffer
                else:
                    momentum_buffer.mul_(momentum).add_(grad, alpha=1 - dampening)
                if nesterov:
                    grad = grad.add(momentum_buffer, alpha=momentum)
                else:
                    grad = momentum_buffer
            param.add_(grad, alpha=-lr)

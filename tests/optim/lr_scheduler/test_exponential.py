"""ExponentialLR: torch's recursion, within rounding of the closed form; the initial step
leaves the rates as they are, also when resuming."""

import torch
from hypothesis import given
from hypothesis import strategies as st

from minitorch_lr.optim import SGD
from minitorch_lr.optim.lr_scheduler import ExponentialLR
from minitorch_lr.testing.lr_scheduler_strategies import exponential_lr_settings, group_lrs
from tests.optim.lr_scheduler.twins import build, make_optimizer, run_epochs


@given(lrs=group_lrs, settings=exponential_lr_settings(), epochs=st.integers(0, 30))
def test_each_epoch_multiplies_the_rate_by_gamma(lrs, settings, epochs):
    """Within torch.testing's float64 tolerance of lr * gamma**t: t multiplications
    round differently from one power."""
    _, kwargs = settings
    seen = run_epochs(*build("minitorch_lr", lrs, settings), epochs)
    for epoch, (_, last_lr, _) in enumerate(seen):
        torch.testing.assert_close(last_lr, [lr * kwargs["gamma"] ** epoch for lr in lrs])


def test_resuming_keeps_the_loaded_rates_and_goes_on_from_them():
    optimizer = make_optimizer(SGD, [1.0])
    optimizer.param_groups[0].update(initial_lr=1.0, lr=0.25)  # as loaded after epoch 2
    scheduler = ExponentialLR(optimizer, gamma=0.5, last_epoch=2)
    assert scheduler.last_epoch == 3 and scheduler.get_last_lr() == [0.25]
    optimizer.step()
    scheduler.step()
    assert scheduler.get_last_lr() == [0.125]

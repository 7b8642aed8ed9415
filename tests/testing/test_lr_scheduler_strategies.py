"""The scheduler strategies draw settings that torch's schedulers take, for the number of
param groups drawn."""

import torch
from hypothesis import given

from minitorch_lr.testing.lr_scheduler_strategies import Power, Warmup, inverse_time, schedules


@given(schedule=schedules())
def test_schedules_are_accepted_by_torchs_schedulers(schedule):
    lrs, (name, kwargs) = schedule
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    optimizer = torch.optim.SGD(groups)
    getattr(torch.optim.lr_scheduler, name)(optimizer, **kwargs)
    if isinstance(kwargs.get("lr_lambda"), list):
        assert len(kwargs["lr_lambda"]) == len(lrs)


@given(schedule=schedules(num_groups=2))
def test_num_groups_fixes_the_number_of_rates(schedule):
    lrs, _ = schedule
    assert len(lrs) == 2


def test_the_factors_are_what_their_docstrings_say():
    assert [Power(0.5)(epoch) for epoch in range(3)] == [1.0, 0.5, 0.25]
    assert [Warmup(2)(epoch) for epoch in range(3)] == [0.5, 1.0, 1.0]
    assert [inverse_time(epoch) for epoch in range(3)] == [1.0, 0.5, 1 / 3]

"""The benchmark suite: minitorch_lr against torch.nn and the chapter's from-scratch code."""

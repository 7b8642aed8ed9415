"""Moving and casting a module: ``to``, ``float``, ``double``, ``half``, ``bfloat16``,
``cpu``, ``cuda``.

The methods of :class:`~minitorch_lr.nn.Module` that convert every parameter, gradient
and buffer, kept apart from the registration and the walks that make a Module. Module
inherits them from :class:`Conversions`. Mirrors that part of ``torch.nn.Module``.

The idea is in :meth:`Conversions._apply`: a parameter keeps its identity and only its
``.data`` changes, so an optimizer built before ``model.to(...)`` still holds the right
objects. The rest sorts ``to()``'s three argument forms, as torch does.

Left out: ``to_empty`` and ``share_memory``.
"""

import torch

__all__ = ["Conversions"]


class Conversions:
    """Module's methods that move parameters and buffers to a device or cast them.

    They rely on what Module defines: ``modules()``, and each module's ``_parameters``
    and ``_buffers``.
    """

    def _apply(self, convert):
        """Convert every parameter, gradient and buffer with ``convert``.

        A parameter keeps its identity: only its ``.data`` is replaced, so an optimizer
        built before ``model.to(...)`` still holds the right objects.
        """
        for module in self.modules():
            for param in module._parameters.values():
                if param is None:
                    continue
                with torch.no_grad():
                    param.data = convert(param.data)
                    if param.grad is not None:
                        param.grad.data = convert(param.grad.data)
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    module._buffers[name] = convert(buffer)
        return self

    def to(self, *args, **kwargs):
        """Move and/or cast: ``to(device)``, ``to(dtype)``, ``to(device, dtype)``,
        ``to(tensor)`` or keywords ``device=``, ``dtype=``, ``non_blocking=``,
        ``memory_format=`` (applied to 4-d and 5-d tensors only, as in torch).

        Only floating-point tensors change dtype; integer buffers keep theirs.
        """
        device, dtype, non_blocking, memory_format = _parse_to(*args, **kwargs)
        if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
            raise TypeError(
                "Module.to only accepts floating point or complex dtypes, "
                f"but got desired dtype={dtype}"
            )

        def convert(tensor):
            cast = dtype if tensor.is_floating_point() or tensor.is_complex() else None
            layout = {"memory_format": memory_format} if tensor.dim() in (4, 5) else {}
            return tensor.to(device=device, dtype=cast, non_blocking=non_blocking, **layout)

        return self._apply(convert)

    def float(self):
        """Cast floating-point parameters and buffers to float32, in place; return self."""
        return self._cast_floating_point(torch.float32)

    def double(self):
        """Cast floating-point parameters and buffers to float64, in place; return self."""
        return self._cast_floating_point(torch.float64)

    def half(self):
        """Cast floating-point parameters and buffers to float16, in place; return self."""
        return self._cast_floating_point(torch.float16)

    def bfloat16(self):
        """Cast floating-point parameters and buffers to bfloat16, in place; return self."""
        return self._cast_floating_point(torch.bfloat16)

    def _cast_floating_point(self, dtype):
        # As torch's float() and the rest: integer and complex tensors keep their dtype.
        return self._apply(lambda t: t.to(dtype) if t.is_floating_point() else t)

    def cpu(self):
        """Move every parameter and buffer to the CPU; return self."""
        return self.to("cpu")

    def cuda(self, device=None):
        """Move every parameter and buffer to a CUDA device (index ``device``, default the
        current one); return self."""
        if device is None:
            return self.to(torch.device("cuda"))
        if isinstance(device, int):
            return self.to(torch.device("cuda", device))
        return self.to(torch.device(device))


_FORMS = {
    "dtype": ("dtype", "non_blocking", "copy"),
    "tensor": ("tensor", "non_blocking", "copy"),
    "device": ("device", "dtype", "non_blocking", "copy"),
}
_KEYWORDS = ("device", "dtype", "non_blocking", "copy", "memory_format")


def _parse_to(*args, **kwargs):
    """``(device, dtype, non_blocking, memory_format)`` from ``Module.to``'s arguments.

    ``device`` is a ``torch.device`` or ``None`` (stay), ``dtype`` a ``torch.dtype`` or
    ``None`` (keep).

    Raises:
        TypeError: an argument of the wrong kind, an unknown or repeated keyword, or too
            many positional arguments for the form.
        RuntimeError: a ``copy`` argument, which ``Tensor.to`` takes and ``Module.to``
            refuses, as in torch (a module's parameters are converted in place).
    """
    if args and isinstance(args[0], torch.dtype):
        form = _FORMS["dtype"]
    elif args and isinstance(args[0], torch.Tensor):
        form = _FORMS["tensor"]
    else:
        form = _FORMS["device"]
    if len(args) > len(form):
        raise TypeError(f"to() takes at most {len(form)} positional arguments in this form")
    named = dict(zip(form, args))
    for key, value in kwargs.items():
        if key in named or key not in _KEYWORDS:
            raise TypeError(f"to() got an unexpected or repeated argument '{key}'")
        named[key] = value
    if "copy" in named:
        raise RuntimeError(".to() does not accept copy argument")
    device, dtype = named.get("device"), named.get("dtype")
    if "tensor" in named:
        device, dtype = named["tensor"].device, named["tensor"].dtype
    if dtype is not None and not isinstance(dtype, torch.dtype):
        raise TypeError(f"to() expected a torch.dtype, got {dtype!r}")
    if device is not None:
        if isinstance(device, torch.dtype) or not isinstance(device, (str, int, torch.device)):
            raise TypeError(f"to() expected a device, got {device!r}")
        device = torch.device(device)
    non_blocking = named.get("non_blocking", False)
    if not isinstance(non_blocking, bool):
        raise TypeError(f"to() expected non_blocking to be a bool, got {non_blocking!r}")
    memory_format = named.get("memory_format")
    if memory_format is not None and not isinstance(memory_format, torch.memory_format):
        raise TypeError(f"to() expected a torch.memory_format, got {memory_format!r}")
    return device, dtype, non_blocking, memory_format

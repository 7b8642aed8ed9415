"""Plots for the chapter: live training curves (``Animator``) and image grids (``show_images``).

Plotting draws numbers, not models: nothing here knows about layers or training loops.

Every figure is a bare ``matplotlib.figure.Figure`` with its own Agg canvas, never one
made by ``matplotlib.pyplot``. That is what lets the same code run in three places:

- in a Jupyter kernel, each update is rendered to PNG and replaces the previous frame in
  the cell's output (an ``IPython.display`` display handle, updated in place);
- from a plain script, ``path=`` writes the figure to a file and rewrites it on each update;
- on a machine with no display, nothing needs one: pyplot's backend is neither read nor
  changed, so a user's interactive backend keeps working and ``plt.show`` is never called.

matplotlib is imported on first use, not with this module, so that code which never
plots does not pay for the import.

Left out: the chapter's SVG display switch and its ``set_axes`` helper (folded into
``Animator``).
"""

import io
import os
import sys
from pathlib import Path

from ._checks import positive_int, writable_file

__all__ = ["Animator", "image_format", "show_images"]


class Animator:
    """Curves that grow one point at a time, redrawn after each ``add``.

    All curves share the first axes (``axes[0]``); with ``nrows * ncols > 1`` the other
    axes are there for the caller to draw on.

    Args:
        xlabel, ylabel: axis labels.
        legend: one label per curve, in the order of ``add``'s values.
        xlim, ylim: ``(low, high)`` axis limits; ``None`` lets matplotlib choose.
        xscale, yscale: ``"linear"``, ``"log"``, or any matplotlib scale name.
        fmts: one matplotlib format string per curve (``"m--"``: magenta, dashed).
        nrows, ncols: the grid of axes.
        figsize: ``(width, height)`` in inches; the default, drawn at 100 dpi, is 600 by
            400 pixels, readable on a laptop screen (the chapter's 3.5 by 2.5 is not).
        path: a file to write the figure to after every ``add`` (its suffix, ``.png`` by
            default, picks the format). Its folder must exist.

    Attributes:
        fig: the matplotlib ``Figure``; ``axes``: its axes, as a flat list.
        X, Y: the points drawn so far, one list per curve.

    Example::

        >>> animator = Animator(xlabel="epoch", legend=["train loss", "test acc"])
        >>> animator.add(1, (0.52, 0.81))
        >>> animator.Y
        [[0.52], [0.81]]
    """

    def __init__(
        self,
        xlabel=None,
        ylabel=None,
        legend=None,
        xlim=None,
        ylim=None,
        xscale="linear",
        yscale="linear",
        fmts=("-", "m--", "g-.", "r:"),
        nrows=1,
        ncols=1,
        figsize=(6, 4),
        path=None,
    ):
        positive_int(nrows, "nrows")
        positive_int(ncols, "ncols")
        if path is not None:
            path = _checked_path(path)
        self.xlabel, self.ylabel = xlabel, ylabel
        self.legend = list(legend) if legend is not None else []
        self.xlim, self.ylim = xlim, ylim
        self.xscale, self.yscale = xscale, yscale
        self.fmts = tuple(fmts)
        self.path = path
        self.fig = _new_figure(figsize)
        self.axes = list(self.fig.subplots(nrows, ncols, squeeze=False).flat)
        self.X, self.Y = None, None
        self._display_handle = None

    def add(self, x, y):
        """Append one point to each curve and redraw.

        Args:
            x: the x of every curve's new point (a number), or one x per curve.
            y: a number (one curve) or one value per curve; a ``None`` in ``x`` or
                ``y`` skips that curve's point.
        """
        # float() turns 0-d tensors (possibly on a GPU) into plain numbers and rejects
        # anything that is not a number before any state changes.
        ys = [_number_or_none(value) for value in (y if _is_sequence(y) else [y])]
        xs = [_number_or_none(value) for value in (x if _is_sequence(x) else [x] * len(ys))]
        # Every check comes before the first append, so a rejected call draws nothing.
        if len(xs) != len(ys):
            raise ValueError(f"x has {len(xs)} values but y has {len(ys)}: give one x per y")
        num_curves = len(ys) if self.Y is None else len(self.Y)
        if len(ys) != num_curves:
            raise ValueError(f"y has {len(ys)} values but the first add drew {num_curves} curves")
        if num_curves > len(self.fmts):
            raise ValueError(
                f"y has {num_curves} values but there are only {len(self.fmts)} fmts; "
                "pass one format string per curve"
            )
        if self.legend and len(self.legend) != num_curves:
            raise ValueError(
                f"legend has {len(self.legend)} labels but y has {num_curves} values: "
                "give one label per curve"
            )
        if self.Y is None:
            self.X = [[] for _ in range(num_curves)]
            self.Y = [[] for _ in range(num_curves)]
        for xs_of_curve, ys_of_curve, x_value, y_value in zip(self.X, self.Y, xs, ys):
            if x_value is not None and y_value is not None:
                xs_of_curve.append(x_value)
                ys_of_curve.append(y_value)
        self._draw()
        self._publish()

    def _draw(self):
        axes = self.axes[0]
        # Redrawing from scratch keeps the code short; cla() also clears the labels and
        # limits, so they are set again each time.
        axes.cla()
        for xs_of_curve, ys_of_curve, fmt in zip(self.X, self.Y, self.fmts):
            axes.plot(xs_of_curve, ys_of_curve, fmt)
        axes.set_xlabel(self.xlabel)
        axes.set_ylabel(self.ylabel)
        axes.set_xscale(self.xscale)
        axes.set_yscale(self.yscale)
        if self.xlim is not None:
            axes.set_xlim(self.xlim)
        if self.ylim is not None:
            axes.set_ylim(self.ylim)
        if self.legend:
            axes.legend(self.legend)
        axes.grid(True)

    def _publish(self):
        if self.path is not None:
            _save_atomically(self.fig, self.path)
        self._display_handle = _display_in_notebook(self.fig, self._display_handle)


def show_images(imgs, num_rows, num_cols, titles=None, scale=1.5, path=None):
    """Draw images in a ``num_rows`` x ``num_cols`` grid, without axes, and return the axes.

    Args:
        imgs: images as a tensor of shape (N, H, W) or (N, 1, H, W), or a sequence of
            tensors or arrays, each (H, W), (1, H, W), (3, H, W) or (H, W, 3).
            At most ``num_rows * num_cols``; extra cells stay blank.
        num_rows, num_cols: the grid.
        titles: one title per image, or ``None``.
        scale: inches per cell.
        path: a file to save the grid to, or ``None``.

    Returns:
        the ``num_rows * num_cols`` matplotlib axes, row by row, as a list.
    """
    positive_int(num_rows, "num_rows")
    positive_int(num_cols, "num_cols")
    if path is not None:
        path = _checked_path(path)
    imgs = list(imgs)
    if len(imgs) > num_rows * num_cols:
        raise ValueError(
            f"{len(imgs)} images do not fit a {num_rows} x {num_cols} grid "
            f"({num_rows * num_cols} cells)"
        )
    if titles is not None and len(titles) != len(imgs):
        raise ValueError(f"got {len(titles)} titles for {len(imgs)} images: give one per image")
    fig = _new_figure((num_cols * scale, num_rows * scale))
    axes = list(fig.subplots(num_rows, num_cols, squeeze=False).flat)
    for index, ax in enumerate(axes):
        ax.set_axis_off()
        if index < len(imgs):
            image = _as_image_array(imgs[index])
            # Grayscale shown as gray; a colour map such as the default viridis would
            # suggest a meaning the pixel values do not have.
            ax.imshow(image, cmap="gray" if image.ndim == 2 else None)
            if titles is not None:
                ax.set_title(titles[index])
    if path is not None:
        _save_atomically(fig, path)
    _display_in_notebook(fig)
    return axes


def image_format(path):
    """The image format that the suffix of ``path`` names (``"png"`` without a suffix),
    if matplotlib can write it; else ``ValueError``, naming the formats it can write."""
    from matplotlib.backend_bases import FigureCanvasBase

    file_format = Path(path).suffix.lstrip(".").lower() or "png"
    known = FigureCanvasBase.get_supported_filetypes()
    if file_format not in known:
        raise ValueError(
            f"cannot write an image to {str(path)!r}: unknown image format {file_format!r} "
            f"(known: {', '.join(sorted(known))})"
        )
    return file_format


def _is_sequence(value):
    # A 0-d tensor or array has __len__ but raises on it; it counts as one number.
    return hasattr(value, "__len__") and getattr(value, "ndim", 1) > 0


def _number_or_none(value):
    return None if value is None else float(value)


def _as_image_array(image):
    """A tensor or array as numpy, (H, W) for one channel, (H, W, C) for colour."""
    import numpy as np

    if hasattr(image, "detach"):
        image = image.detach().cpu()
        if image.ndim == 3 and image.shape[0] in (1, 3, 4):
            image = image.permute(1, 2, 0)  # torch stores channels first, matplotlib last
        image = image.numpy()
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[0] == 1:
        image = image[0]
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    return image


def _new_figure(figsize):
    """A Figure drawn by its own Agg canvas, unknown to pyplot's figure manager.

    ``layout="tight"`` fits labels and titles inside the figure each time it is drawn.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="tight")
    FigureCanvasAgg(fig)
    return fig


def _checked_path(path):
    """``path`` as a Path, checked now rather than at the first save, maybe hours later:
    its suffix names a format matplotlib writes, and its folder can be written."""
    image_format(path)
    return writable_file(path, "the plot")


def _save_atomically(fig, path):
    # Written beside the target and renamed over it, so that an image viewer watching the
    # file never reads a half-written one, and a failed or interrupted save leaves none.
    partial = path.with_name(f".{path.name}.partial")
    try:
        fig.savefig(partial, format=image_format(path))
        os.replace(partial, path)
    except OSError as error:
        # Named by the file asked for: the temporary name would only puzzle the reader.
        reason = error.strerror or str(error)
        raise OSError(error.errno, f"cannot save the plot: {reason}", str(path)) from error
    finally:
        partial.unlink(missing_ok=True)


def _display_in_notebook(fig, handle=None):
    """Show ``fig`` in a Jupyter cell's output, or replace what ``handle`` shows there.

    Returns the display handle to pass next time; outside a Jupyter kernel, does nothing
    and returns ``None``.
    """
    # A kernel has already imported IPython, so looking in sys.modules avoids importing
    # it in scripts; a terminal IPython shell has no kernel and cannot show images.
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "kernel"):
        return None
    from IPython import display

    # A PNG rendered here shows whatever backend and display formatters are configured.
    png = io.BytesIO()
    fig.savefig(png, format="png")
    image = display.Image(data=png.getvalue(), format="png")
    # A handle updates its own output only. The chapter's clear_output(wait=True) clears
    # the whole cell when the next output arrives, so a print after training erased the
    # final curves, and each frame erased whatever the cell had printed before it.
    if handle is None:
        return display.display(image, display_id=True)
    handle.update(image)
    return handle

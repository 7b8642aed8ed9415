"""Plots, headless: Animator's curves and file, its notebook display, show_images' grid."""

import errno
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import matplotlib.figure
import matplotlib.image
import numpy as np
import pytest
import torch

from minitorch_lr.plot import Animator, image_format, show_images

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def headless(monkeypatch):
    """No display: pyplot, should anything load it, gets Agg, and no IPython is found."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delitem(sys.modules, "IPython", raising=False)


# ---------------------------------------------------------------- Animator


def test_animator_draws_every_curve_with_its_points():
    animator = Animator(legend=["loss", "acc"])
    animator.add(1, (0.9, 0.5))
    animator.add(2, [0.6, torch.tensor(0.7, dtype=torch.float64)])  # 0-d: a number
    animator.add(3, (None, 0.8))  # None skips that curve's point
    assert animator.X == [[1, 2], [1, 2, 3]]
    assert animator.Y == [[0.9, 0.6], [0.5, 0.7, 0.8]]
    lines = animator.axes[0].get_lines()
    assert [list(line.get_xdata()) for line in lines] == animator.X
    assert [list(line.get_ydata()) for line in lines] == animator.Y


def test_animator_takes_a_single_number_and_one_x_per_curve():
    animator = Animator()
    animator.add(0.5, 3)
    assert animator.X == [[0.5]] and animator.Y == [[3.0]]
    two = Animator()
    two.add((1, 2), (10, 20))
    assert two.X == [[1], [2]] and two.Y == [[10], [20]]


def test_animator_applies_its_axes_settings_after_each_redraw():
    animator = Animator(
        xlabel="epoch",
        ylabel="value",
        legend=["train loss", "test acc"],
        xlim=(1, 10),
        ylim=(0.3, 0.9),
        yscale="log",
        fmts=("-", "m--"),
    )
    for epoch in (1, 2):
        animator.add(epoch, (0.5 / epoch, 0.8))
    axes = animator.axes[0]
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("epoch", "value")
    assert axes.get_xlim() == (1, 10) and axes.get_ylim() == pytest.approx((0.3, 0.9))
    assert (axes.get_xscale(), axes.get_yscale()) == ("linear", "log")
    assert [text.get_text() for text in axes.get_legend().get_texts()] == [
        "train loss",
        "test acc",
    ]
    assert [line.get_linestyle() for line in axes.get_lines()] == ["-", "--"]
    assert len(axes.get_lines()) == 2  # cla() removed the lines of the first draw


def test_animator_makes_a_grid_of_axes():
    animator = Animator(nrows=2, ncols=3, figsize=(6, 4))
    assert len(animator.axes) == 6
    assert tuple(animator.fig.get_size_inches()) == (6, 4)


def test_animator_writes_and_updates_its_png(tmp_path):
    path = tmp_path / "curves.png"
    animator = Animator(legend=["loss"], figsize=(3.5, 2.5), path=path)
    assert not path.exists()  # nothing to draw before the first point
    animator.add(1, 0.9)
    first = path.read_bytes()
    assert first.startswith(PNG_MAGIC)
    height, width, _ = matplotlib.image.imread(path).shape
    dpi = animator.fig.get_dpi()
    assert (width, height) == (round(3.5 * dpi), round(2.5 * dpi))
    animator.add(2, 0.4)
    assert path.read_bytes() != first  # the second point was drawn into the file
    assert os.listdir(tmp_path) == ["curves.png"]  # no partial file left behind


def test_animator_failing_to_save_keeps_the_previous_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "curves.png"
    animator = Animator(path=path)
    animator.add(1, 0.9)
    drawn = path.read_bytes()

    def write_half_then_fail(target, **kwargs):
        Path(target).write_bytes(drawn[: len(drawn) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(animator.fig, "savefig", write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        animator.add(2, 0.4)
    assert path.read_bytes() == drawn
    assert os.listdir(tmp_path) == ["curves.png"]


def test_animator_file_format_follows_the_suffix(tmp_path):
    path = tmp_path / "curves.svg"
    Animator(path=path).add(1, 1.0)
    assert b"<svg" in path.read_bytes()[:1000]


def test_animator_rejects_a_path_it_cannot_write(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing"):
        Animator(path=tmp_path / "missing" / "curves.png")
    with pytest.raises(ValueError, match="'xyz'"):
        Animator(path=tmp_path / "curves.xyz")


def test_animator_never_registers_figures_with_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    Animator().add(1, 1.0)
    show_images(torch.zeros(1, 4, 4), 1, 1)
    # A figure pyplot does not know cannot pop up from, or be leaked by, a plt.show().
    assert plt.get_fignums() == before


@pytest.mark.parametrize(
    ("x", "y", "match"),
    [
        ((1, 2, 3), (0.1, 0.2), "x has 3 values but y has 2"),
        (1, (0.1, 0.2, 0.3, 0.4, 0.5), "only 4 fmts"),
        (1, (0.1, 0.2, 0.3), "legend has 2 labels"),
    ],
)
def test_animator_rejects_mismatched_lengths(x, y, match):
    animator = Animator(legend=["loss", "acc"])
    with pytest.raises(ValueError, match=match):
        animator.add(x, y)
    assert animator.X is None and animator.Y is None


def test_animator_rejects_a_change_in_the_number_of_curves_and_keeps_its_points(tmp_path):
    path = tmp_path / "curves.png"
    animator = Animator(path=path)
    animator.add(1, (0.5, 0.6))
    drawn = path.read_bytes()
    with pytest.raises(ValueError, match="y has 3 values but the first add drew 2"):
        animator.add(2, (0.4, 0.7, 0.9))
    assert animator.X == [[1], [1]] and animator.Y == [[0.5], [0.6]]
    assert path.read_bytes() == drawn


def test_animator_rejects_a_value_that_is_not_a_number():
    animator = Animator()
    with pytest.raises(ValueError):
        animator.add(1, "high")
    assert animator.Y is None


@pytest.mark.parametrize(
    ("nrows", "ncols", "message"),
    [(0, 1, "nrows .* got 0"), (1, -2, "ncols .* got -2"), (1.5, 1, "nrows .* got 1.5")],
)
def test_animator_rejects_a_bad_grid_naming_the_argument(nrows, ncols, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        Animator(nrows=nrows, ncols=ncols)


# ---------------------------------------------------------------- Jupyter


def fake_ipython(monkeypatch, in_kernel):
    """Install a stand-in IPython that records, in ``calls``, what reaches the cell."""
    calls = []

    class Image:
        def __init__(self, data, format):
            self.data, self.format = data, format

    class DisplayHandle:
        def update(self, obj):
            calls.append(("update", obj))

    def display_function(obj, display_id=None):
        calls.append(("display", obj))
        return DisplayHandle() if display_id else None

    display = types.ModuleType("IPython.display")
    display.Image = Image
    display.display = display_function
    display.clear_output = lambda wait=False: calls.append(("clear_output", wait))
    ipython = types.ModuleType("IPython")
    ipython.display = display
    shell = types.SimpleNamespace(kernel=object()) if in_kernel else types.SimpleNamespace()
    ipython.get_ipython = lambda: shell
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    return calls


def test_animator_in_a_kernel_replaces_its_frame_in_place(monkeypatch):
    calls = fake_ipython(monkeypatch, in_kernel=True)
    animator = Animator()
    for epoch in (1, 2, 3):
        animator.add(epoch, 1 / epoch)
    # One output, then updates of that output alone: no clear_output, which would also
    # erase whatever else the cell printed.
    assert [name for name, _ in calls] == ["display", "update", "update"]
    frames = [image.data for _, image in calls]
    assert all(frame.startswith(PNG_MAGIC) for frame in frames)
    assert len(set(frames)) == 3  # each frame shows the new point
    assert all(image.format == "png" for _, image in calls)


def test_show_images_in_a_kernel_shows_the_grid_once(monkeypatch):
    calls = fake_ipython(monkeypatch, in_kernel=True)
    show_images(torch.zeros(2, 4, 4), 1, 2)
    assert [name for name, _ in calls] == ["display"]
    assert calls[0][1].data.startswith(PNG_MAGIC)


def test_nothing_is_displayed_in_a_terminal_ipython_shell(monkeypatch):
    calls = fake_ipython(monkeypatch, in_kernel=False)
    Animator().add(1, 0.5)
    show_images(torch.zeros(1, 4, 4), 1, 1)
    assert calls == []


# ---------------------------------------------------------------- show_images


def test_show_images_lays_out_a_grid_with_titles():
    images = torch.rand(5, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    titles = [f"label {i}" for i in range(5)]
    axes = show_images(images, 2, 3, titles=titles, scale=1.5)
    assert len(axes) == 6
    assert [ax.get_title() for ax in axes] == titles + [""]
    assert [len(ax.get_images()) for ax in axes] == [1] * 5 + [0]
    assert not any(ax.axison for ax in axes)
    # Row by row: the second row starts below the first, the grid's cells in order.
    assert axes[3].get_position().y0 < axes[0].get_position().y0
    for ax, image in zip(axes, images):
        np.testing.assert_array_equal(ax.get_images()[0].get_array(), image[0].numpy())
    assert tuple(axes[0].figure.get_size_inches()) == pytest.approx((3 * 1.5, 2 * 1.5))


def test_show_images_takes_arrays_and_channel_layouts():
    gray = np.arange(12.0).reshape(3, 4)
    colour_first = torch.rand(3, 3, 4, generator=torch.Generator().manual_seed(0))
    colour_last = np.zeros((3, 4, 3))
    axes = show_images([gray, colour_first, colour_last], 1, 3)
    shapes = [ax.get_images()[0].get_array().shape for ax in axes]
    assert shapes == [(3, 4), (3, 4, 3), (3, 4, 3)]
    np.testing.assert_array_equal(
        axes[1].get_images()[0].get_array(), colour_first.permute(1, 2, 0).numpy()
    )


def test_show_images_saves_to_a_path(tmp_path):
    path = tmp_path / "grid.png"
    show_images(torch.zeros(4, 28, 28, dtype=torch.uint8), 2, 2, scale=1.0, path=path)
    assert path.read_bytes().startswith(PNG_MAGIC)
    height, width, _ = matplotlib.image.imread(path).shape
    assert (width, height) == (200, 200)  # 2 x 2 cells of 1 inch at the default 100 dpi


def test_show_images_failing_to_save_keeps_the_previous_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "grid.png"
    show_images(torch.zeros(4, 28, 28), 2, 2, path=path)
    drawn = path.read_bytes()

    def write_half_then_fail(fig, target, **kwargs):
        Path(target).write_bytes(drawn[: len(drawn) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", write_half_then_fail)
    with pytest.raises(OSError) as error:
        show_images(torch.ones(4, 28, 28), 2, 2, path=path)
    # Named by the file asked for, with the cause kept: a caller can say what to do.
    assert (error.value.errno, error.value.filename) == (errno.ENOSPC, str(path))
    assert "No space left on device" in str(error.value)
    assert path.read_bytes() == drawn
    assert os.listdir(tmp_path) == ["grid.png"]


@pytest.mark.parametrize(
    ("name", "expected"), [("c.png", "png"), ("c.SVG", "svg"), ("c.pdf", "pdf"), ("c", "png")]
)
def test_image_format_follows_the_suffix(name, expected):
    assert image_format(name) == expected


def test_image_format_refuses_an_unknown_suffix_listing_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown image format 'xyz' \(known: .*png.*svg"):
        image_format("out/p.xyz")


def test_show_images_rejects_more_images_than_cells():
    with pytest.raises(ValueError, match="5 images do not fit a 2 x 2 grid"):
        show_images(torch.zeros(5, 4, 4), 2, 2)


def test_show_images_rejects_a_title_count_that_differs_from_the_images():
    with pytest.raises(ValueError, match="got 2 titles for 3 images"):
        show_images(torch.zeros(3, 4, 4), 1, 3, titles=["a", "b"])


@pytest.mark.parametrize(
    ("num_rows", "num_cols", "message"),
    [(0, 2, "num_rows must be a positive integer, got 0"), (1, 0.5, "num_cols .* got 0.5")],
)
def test_show_images_rejects_a_bad_grid_naming_its_own_argument(num_rows, num_cols, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        show_images(torch.zeros(1, 4, 4), num_rows, num_cols)


# ---------------------------------------------------------------- a plain script


def test_a_script_plots_without_pyplot_even_when_a_gui_backend_is_set(tmp_path):
    """A user's MPLBACKEND=TkAgg on a machine with no display: pyplot would fail to start
    it; the plots never start pyplot, and matplotlib loads only when something is drawn."""
    script = textwrap.dedent(
        f"""
        import sys
        import minitorch_lr.plot as plot
        assert "matplotlib" not in sys.modules, "matplotlib imported with the module"
        animator = plot.Animator(legend=["loss"], path={str(tmp_path / "curves.png")!r})
        animator.add(1, 0.5)
        animator.add(2, 0.25)
        assert "matplotlib.pyplot" not in sys.modules, "pyplot was imported"
        """
    )
    env = {**os.environ, "MPLBACKEND": "TkAgg"}
    env.pop("DISPLAY", None)
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "curves.png").read_bytes().startswith(PNG_MAGIC)

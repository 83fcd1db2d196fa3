"""Loss landscapes: the heights and the descent path lesson 4 draws."""

from __future__ import annotations

import numpy as np
import pytest

import engine

POINTS = dict(inputs=[-1, 0, 1, 2], targets=[-1.2, 1.4, 2.8, 5.1])


def test_the_default_profile_is_the_bowl_w_minus_3_squared():
    profile = engine.loss_profile(w_range=[-1, 7], points=9)
    np.testing.assert_allclose(profile.w, np.arange(-1, 8))
    np.testing.assert_allclose(profile.loss, (profile.w - 3) ** 2)
    assert profile.minimum == 3.0


def test_each_step_on_the_bowl_removes_a_fifth_of_the_distance():
    profile = engine.loss_profile(start=6.0, learning_rate=0.1, steps=8)
    k = np.arange(9)
    np.testing.assert_allclose(profile.path, 3 + 3 * 0.8**k, rtol=1e-12)
    np.testing.assert_allclose(profile.path_loss, 9 * 0.64**k, rtol=1e-12)
    # the default range holds the whole path and the bottom
    assert profile.w[0] < 3.0 and profile.w[-1] > 6.0


def test_the_slope_is_lesson_4s_two_times_w_minus_3():
    assert engine.line_gradient(6.0, 0.0, [1.0], [3.0])[0] == 6.0
    assert engine.line_gradient(6.0, 0.0, [1.0], [3.0])[0] == engine.mean_squared_error_grad([6], [3])[0]


def test_surface_heights_are_the_line_loss_at_each_grid_point():
    surface = engine.loss_surface(**POINTS, w_range=[-2, 5], b_range=[-2, 4], points=15)
    assert surface.loss.shape == (15, 15)
    for i, j in [(0, 0), (3, 11), (14, 7)]:
        assert surface.loss[i, j] == pytest.approx(engine.line_loss(surface.w[j], surface.b[i], **POINTS), rel=1e-12)


def test_descent_steps_downhill_towards_the_least_squares_line():
    surface = engine.loss_surface(**POINTS, start=[-1, -1], learning_rate=0.1, steps=60)
    np.testing.assert_allclose(surface.minimum, np.polyfit(POINTS["inputs"], POINTS["targets"], 1), rtol=1e-12)
    first = np.array([-1.0, -1.0]) - 0.1 * engine.line_gradient(-1.0, -1.0, **POINTS)
    np.testing.assert_allclose(surface.path[1], first, rtol=1e-12)
    assert np.all(np.diff(surface.path_loss) < 0)
    np.testing.assert_allclose(surface.path[-1], surface.minimum, atol=1e-3)


def test_a_learning_rate_too_large_flies_off_and_the_path_stops_before_infinity():
    surface = engine.loss_surface(**POINTS, learning_rate=5.0, steps=2000)
    assert np.all(np.isfinite(surface.path)) and len(surface.path) < 2001
    assert surface.path_loss[-1] > surface.path_loss[0]


@pytest.mark.parametrize("arguments, message", [
    (dict(inputs=[1, 2], targets=[1]), "equally long"),
    (dict(start=[0.0]), r"one \(w, b\) pair"),
    (dict(w_range=[2, 1]), "low < high"),
    (dict(learning_rate=0), "positive"),
    (dict(points=1), "between 2 and 2000"),
])
def test_bad_arguments_say_what_is_wrong(arguments, message):
    with pytest.raises(ValueError, match=message):
        engine.loss_surface(**arguments)

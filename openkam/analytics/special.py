"""Special functions the models need beyond what scipy evaluates reliably.

``hyp2f1(a, b, c, z)`` is scipy's Gaussian hypergeometric function for 0 <= z < 1, except near
an integer m = c - a - b (for example r = 1, a = 2 in the BG/NBD expectation). There scipy's
z -> 1 - z connection formula cancels: against mpmath at 40 digits its relative error is about
1e-16 / |m - round(m)| (1e-12 at a distance 1e-4, 3e-8 at 1e-8, a wrong sign at 4e-16) and at
an exact integer it returns inf or NaN. So within NEAR_INTEGER of an integer, and wherever scipy
is not finite, the value is interpolated (cubic, in c) through the points where m is the integer
plus -2, -1, 1, 2 INTEGER_STEPs: evaluation error about 1e-12 there, interpolation error about
INTEGER_STEP^4 log(1 - z)^4, 1e-13 at 1 - z = 1e-3. Points still not finite stay NaN for the
caller to handle.

``hyp2f1_one(k, c, z)`` = 2F1(1, k; c; z) for 0 < k < c and 0 <= z < 1, the only Gaussian
hypergeometric function the Pareto/NBD likelihood needs once written in Euler-transformed form
(see ``paretonbd``). scipy's ``hyp2f1`` returns NaN or inf for parts of this domain: when z is
above about 0.9 and k is large, and for z near 1 whenever c - k - 1 is an integer (s = 1, or
r + x = 1, both common starting values). Measured against scipy on 400,000 random points with
z <= 0.9, the two agree to 4e-13, so scipy is used up to SCIPY_MAX_Z and Gauss's continued
fraction above it.

Gauss's continued fraction for 2F1(a, b+1; c+1; z) / 2F1(a, b; c; z) (DLMF section 15.7), taken
at a = 0 where the denominator is 1, gives, with c' = c - 1,

    2F1(1, k; c; z) = 1 / (1 + e1 z / (1 + e2 z / (1 + e3 z / ...)))
    e(2j+1) = -(c'+j)(k+j) / ((c'+2j)(c'+2j+1)),   e(2j) = -j(c'+j-k) / ((c'+2j-1)(c'+2j)).

All e(n) are negative for c > k, so this is a Stieltjes fraction: it converges on the whole cut
plane, here evaluated by the modified Lentz method until a step changes the value by less than
four ulps. The number of steps grows like 1/sqrt(1 - z) (about 20 at z = 0.75, a few thousand at
1 - z = 1e-5); values that have not converged after MAX_TERMS steps are returned as NaN, never as
silently wrong numbers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import hyp2f1 as scipy_hyp2f1

from openkam.analytics.base import FloatArray

NEAR_INTEGER = 1e-6
INTEGER_STEP = 1e-4
INTERPOLATION_NODES = (-2.0, -1.0, 1.0, 2.0)
SCIPY_MAX_Z = 0.75
MAX_TERMS = 200_000
_CONVERGED = 4 * np.finfo(float).eps


def hyp2f1(a: ArrayLike, b: ArrayLike, c: ArrayLike, z: ArrayLike) -> FloatArray:
    """2F1(a, b; c; z) for 0 <= z < 1, repairing scipy near an integer c - a - b."""
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, b, c, z)))
    shape = arrays[0].shape
    a_arr, b_arr, c_arr, z_arr = (np.atleast_1d(v) for v in arrays)
    result = np.asarray(scipy_hyp2f1(a_arr, b_arr, c_arr, z_arr), dtype=np.float64)
    m = c_arr - a_arr - b_arr
    nearest = np.round(m)
    suspect = (np.abs(m - nearest) < NEAR_INTEGER) | ~np.isfinite(result)
    if np.any(suspect):
        result[suspect] = _across_integer(
            a_arr[suspect],
            b_arr[suspect],
            c_arr[suspect],
            z_arr[suspect],
            m[suspect] - nearest[suspect],
        )
    return result.reshape(shape)


def _across_integer(
    a: FloatArray, b: FloatArray, c: FloatArray, z: FloatArray, offset: FloatArray
) -> FloatArray:
    """Cubic Lagrange interpolation in c through the points where c - a - b is the nearest
    integer plus -2, -1, +1, +2 INTEGER_STEPs; ``offset`` is c - a - b minus that integer."""
    c_at_integer = c - offset
    target = offset / INTEGER_STEP
    result = np.zeros_like(c)
    for node in INTERPOLATION_NODES:
        weight = np.ones_like(c)
        for other in INTERPOLATION_NODES:
            if other != node:
                weight *= (target - other) / (node - other)
        result += weight * scipy_hyp2f1(a, b, c_at_integer + node * INTEGER_STEP, z)
    return result


def hyp2f1_one(k: ArrayLike, c: ArrayLike, z: ArrayLike) -> FloatArray:
    """2F1(1, k; c; z) for 0 < k < c and 0 <= z < 1, broadcast over the arguments."""
    k_arr, c_arr, z_arr = np.broadcast_arrays(
        np.asarray(k, dtype=np.float64),
        np.asarray(c, dtype=np.float64),
        np.asarray(z, dtype=np.float64),
    )
    result = np.asarray(scipy_hyp2f1(1.0, k_arr, c_arr, z_arr), dtype=np.float64)
    far = z_arr > SCIPY_MAX_Z
    if np.any(far):
        result[far] = _continued_fraction(k_arr[far], c_arr[far], z_arr[far])
    return result


def _continued_fraction(k: FloatArray, c: FloatArray, z: FloatArray) -> FloatArray:
    """Modified Lentz evaluation of the fraction above, shrinking to the unconverged entries."""
    out = np.full(k.shape, np.nan)
    active = np.arange(k.size)
    c1 = c - 1.0
    value = np.ones_like(k)  # the denominator g = 1 + e1 z / (1 + ...); the result is 1 / g
    lentz_c = np.ones_like(k)
    lentz_d = np.zeros_like(k)
    for n in range(1, MAX_TERMS + 1):
        j = n // 2
        if n % 2:
            e = -(c1 + j) * (k + j) / ((c1 + 2 * j) * (c1 + 2 * j + 1))
        else:
            e = -j * (c1 + j - k) / ((c1 + 2 * j - 1) * (c1 + 2 * j))
        step = e * z
        lentz_d = 1.0 / (1.0 + step * lentz_d)
        lentz_c = 1.0 + step / lentz_c
        delta = lentz_c * lentz_d
        value *= delta
        done = np.abs(delta - 1.0) <= _CONVERGED
        if np.any(done):
            out[active[done]] = 1.0 / value[done]
            keep = ~done
            active, k, c1, z = active[keep], k[keep], c1[keep], z[keep]
            value, lentz_c, lentz_d = value[keep], lentz_c[keep], lentz_d[keep]
            if active.size == 0:
                break
    return out

#!/usr/bin/env python3
"""The reference tools a user would otherwise run: the fig2 GD loop in numpy, written like the
official code, and the same gradient flow with scipy's DOP853. Prints "key seconds" lines."""
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp


def fig2_init():
    np.random.seed(123)
    V = 0.1 * np.random.randn(8, 8)
    np.random.randn(8)
    a = np.zeros(8)
    beta = np.random.randn(8)
    beta /= np.linalg.norm(beta)
    return V, a, beta


def softmax(a):
    e = np.exp(a - a.max())
    return e / e.sum()


def gd(steps):
    V, a, beta = fig2_init()
    lr = 0.1
    for _ in range(steps):
        s = softmax(a)
        margin = beta @ (V @ s)
        gamma = 1.0 / (1.0 + np.exp(margin))
        u = V.T @ beta
        grad_V = -gamma * np.outer(beta, s)
        grad_a = -gamma * (s * u - s * (s @ u))
        V -= lr * grad_V
        a -= lr * grad_a
    return V, a


def flow(t_end, rtol, atol):
    V, a, beta = fig2_init()

    def rhs(t, y):
        V = y[:64].reshape(8, 8)
        a = y[64:]
        s = softmax(a)
        gamma = 1.0 / (1.0 + np.exp(beta @ (V @ s)))
        u = V.T @ beta
        return np.concatenate([(gamma * np.outer(beta, s)).ravel(), gamma * (s * u - s * (s @ u))])

    y0 = np.concatenate([V.ravel(), a])
    sol = solve_ivp(rhs, (0.0, t_end), y0, method="DOP853", rtol=rtol, atol=atol)
    return sol


if __name__ == "__main__":
    rtol = float(sys.argv[1]) if len(sys.argv) > 1 else 1e-8
    atol = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-10
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
    t0 = time.perf_counter()
    gd(steps)
    t = time.perf_counter() - t0
    # Per-step cost is constant, so 1e6 steps cost (1e6 / steps) times this.
    print(f"numpy_gd_fig2_1e6_steps {t * 1e6 / steps:.6f}")
    t0 = time.perf_counter()
    sol = flow(1e6, rtol, atol)
    print(f"scipy_dop853_t1e6 {time.perf_counter() - t0:.6f}")
    print(f"scipy_dop853_t1e6_steps {sol.t.size - 1}")

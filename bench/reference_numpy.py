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


def flow(t_end, rtol, atol, t_eval=None):
    """The fig2 gradient flow with its polarization integral ∫γ as a 73rd coordinate, as polarlab integrates it."""
    V, a, beta = fig2_init()

    def rhs(t, y):
        V = y[:64].reshape(8, 8)
        a = y[64:72]
        s = softmax(a)
        gamma = 1.0 / (1.0 + np.exp(beta @ (V @ s)))
        u = V.T @ beta
        return np.concatenate([(gamma * np.outer(beta, s)).ravel(), gamma * (s * u - s * (s @ u)), [gamma]])

    y0 = np.concatenate([V.ravel(), a, [0.0]])
    sol = solve_ivp(rhs, (0.0, t_end), y0, method="DOP853", rtol=rtol, atol=atol, t_eval=t_eval)
    return sol, beta


def record_times(t_end, count, t_min=1e-2):
    """polarlab's record grid: 0, count log-spaced times from t_min, every power of ten, t_end."""
    t = np.concatenate([[0.0], np.logspace(np.log10(t_min), np.log10(t_end), max(count, 2)),
                        10.0 ** np.arange(np.ceil(np.log10(t_min)), np.floor(np.log10(t_end)) + 1), [t_end]])
    t = np.sort(t)
    keep = np.concatenate([[True], np.diff(t) > 1e-12 * np.maximum(1.0, t[1:])])
    return t[keep]


def records(sol, beta):
    """The observables polarlab keeps per record: loss, γ, ∫γ, s, u, a, entropy, max s, winner, singular values."""
    out = []
    for k in range(sol.t.size):
        y = sol.y[:, k]
        V = y[:64].reshape(8, 8)
        a = y[64:72]
        s = softmax(a)
        m = beta @ (V @ s)
        loss = np.log1p(np.exp(-m)) if m > 0 else -m + np.log1p(np.exp(m))
        gamma = 1.0 / (1.0 + np.exp(m))
        u = V.T @ beta
        nz = s[s > 0]
        out.append(dict(t=sol.t[k], loss=loss, gamma=gamma, gamma_integral=y[72], s=s, u=u, a=a,
                        entropy=-(nz * np.log(nz)).sum(), max_s=s.max(), winner=int(s.argmax()),
                        sv=np.linalg.svd(V, compute_uv=False)))
    return out


if __name__ == "__main__":
    rtol = float(sys.argv[1]) if len(sys.argv) > 1 else 1e-8
    atol = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-10
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
    t0 = time.perf_counter()
    gd(steps)
    t = time.perf_counter() - t0
    # Per-step cost is constant, so 1e6 steps cost (1e6 / steps) times this.
    print(f"numpy_gd_fig2_1e6_steps {t * 1e6 / steps:.6f}")

    def best(f, repeats=3):
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            r = f()
            times.append(time.perf_counter() - t0)
        return min(times), r

    # The solver alone (its natural steps, no t_eval): polarlab's flow_fig2_t1e6_solver.
    t, (sol, _) = best(lambda: flow(1e6, rtol, atol))
    print(f"scipy_dop853_t1e6_solver {t:.6f}")
    print(f"scipy_dop853_t1e6_steps {sol.t.size - 1}")
    # Records on polarlab's grids, with the same observables per record.
    for name, count in (("decades", 2), ("records2000", 2000)):
        grid = record_times(1e6, count)
        t, _ = best(lambda: records(*flow(1e6, rtol, atol, t_eval=grid)))
        print(f"scipy_dop853_t1e6_{name} {t:.6f}")
        print(f"scipy_dop853_t1e6_{name}_count {grid.size}")

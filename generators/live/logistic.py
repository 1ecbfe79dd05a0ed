"""toy-logistic: logistic regression on 2-D points by plain (full-batch) gradient descent (Cox 1958; Bishop,
PRML 2006, section 4.3.2), with an L2 penalty on the weights but not on the intercept, the objective
scikit-learn's ``LogisticRegression(C=1 / (l2 * N))`` minimises, so both end at the same weights."""

from __future__ import annotations

import numpy as np

from generators.live.points import DATASETS, make
from generators.live.run import Run, choice, number_in


class LogisticRun(Run):
    kind = "toy-logistic"
    chunk = 20

    def __init__(self, seed: int = 0, *, data: str = "moons", lr: float = 1.0, l2: float = 0.01,
                 points=None, labels=None):
        super().__init__(seed)
        choice(data, "data", DATASETS, self.kind)
        x, y = make(data, seed=self.seed, points=points, labels=labels, kind=self.kind)
        self.x, self.y = x.astype(np.float64), y.astype(np.float64)
        self.lr = number_in(lr, "lr", 1e-4, 10.0, self.kind)
        self.l2 = number_in(l2, "l2", 1e-4, 10.0, self.kind)
        self.weights = np.zeros(2)
        self.intercept = 0.0

    def _step(self) -> dict[str, float]:
        # L(w, b) = (1/N) sum_n [log(1 + e^(a_n)) - y_n a_n] + (l2 / 2) |w|^2,  a_n = w . x_n + b;
        # dL/dw = (1/N) X^T (sigma(a) - y) + l2 w,  dL/db = mean(sigma(a) - y)  (PRML eq. 4.91).
        activation = self.x @ self.weights + self.intercept
        error = _sigmoid(activation) - self.y
        loss = np.mean(np.logaddexp(0, activation) - self.y * activation) + 0.5 * self.l2 * self.weights @ self.weights
        self.weights = self.weights - self.lr * (self.x.T @ error / len(self.y) + self.l2 * self.weights)
        self.intercept -= self.lr * float(error.mean())
        accuracy = np.mean((activation > 0) == (self.y > 0.5))
        return {"loss": float(loss), "accuracy": float(accuracy)}

    def sklearn_c(self) -> float:
        """The C of scikit-learn's LogisticRegression that minimises the same objective."""
        return 1.0 / (self.l2 * len(self.y))

    def probability(self, grid: np.ndarray) -> np.ndarray:
        """p(class 1 | x) = sigma(w . x + b) for (M, 2) points."""
        return _sigmoid(grid @ self.weights + self.intercept)

    def _extra(self) -> dict:
        return {"data": self.x, "labels": self.y.astype(np.int64), "weights": self.weights.copy(),
                "intercept": self.intercept}

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """Logistic regression models p(class | x), not x: ``n`` data points drawn with ``seed``, as (n, 2)."""
        rng = np.random.default_rng(seed)
        return self.x[rng.integers(0, len(self.x), int(n))].astype(np.float32)


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * a))

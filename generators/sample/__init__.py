"""Generative models of handwritten digits: each offers ``sample(n, *, seed)`` -> float32 (n, 28, 28) in [0, 1]."""

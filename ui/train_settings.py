"""The Train tab's models and their settings: the labels shown, the live kinds behind them, the data sets, the
settings each kind starts from, and the controls' values as the keyword arguments generators.live.start takes."""

from __future__ import annotations

from generators import live

# Label shown in the UI -> live kind.
MODELS = {
    "GAN on 2-D points": "toy-gan",
    "GMM by EM on 2-D points": "toy-gmm",
    "Logistic regression on 2-D points": "toy-logistic",
    "Digits: small GAN": "mnist-gan",
    "Digits: small VAE": "mnist-vae",
    "Digits: denoising autoencoder": "mnist-dae",
    "Logistic regression: a 5x5 restoration filter": "logistic-restore",
}
LABELS = {kind: label for label, kind in MODELS.items()}
DATA = {"Ring of 8 Gaussians": "ring8", "Two moons": "moons", "Spiral": "spiral", "Points I draw": "drawn"}
TRAINING_SETS = {"4,000 training digits": "4000", "100 training digits": "100"}
MAX_STEP = 1_000_000
# The settings each kind starts with when picked: learning rate, batch size, code size.
DEFAULTS = {
    "toy-gan": (1e-3, 256, 8), "toy-gmm": (None, None, None), "toy-logistic": (1.0, None, None),
    "mnist-gan": (5e-4, 64, 32), "mnist-vae": (1e-3, 64, 16), "mnist-dae": (1e-3, 64, 32),
    "logistic-restore": (2.0, None, None),
}
PICTURE_LABELS = {
    "mnist-gan": "Samples now (the same codes every time)",
    "mnist-vae": "Samples now (the same codes every time)",
    "mnist-dae": "Held-out digits, with noise, repaired by the autoencoder (two sets of three rows)",
    "logistic-restore": "An unseen image: clean, noisy, restored by the learned filter",
}


def hyperparameters(kind: str, data: str, lr, batch, code, components, hidden, digits, noise, drawn) -> dict:
    """The controls' values -> keyword arguments of live.start for ``kind`` (each kind takes its own)."""
    by_kind = {
        "toy-gan": {"lr": lr, "batch": batch, "code": code, "hidden": hidden},
        "toy-gmm": {"components": components},
        "toy-logistic": {"lr": lr},
        "mnist-gan": {"lr": lr, "batch": batch, "code": code, "train_digits": digits},
        "mnist-vae": {"lr": lr, "batch": batch, "code": code, "train_digits": digits},
        "mnist-dae": {"lr": lr, "batch": batch, "code": code, "train_digits": digits, "noise": noise},
        "logistic-restore": {"lr": lr, "noise": noise},
    }
    hyper = dict(by_kind[kind])
    if kind in live.TOY_KINDS:
        hyper["data"] = DATA.get(data, data)
        if hyper["data"] == "drawn":
            hyper["points"], hyper["labels"] = drawn["points"], drawn["labels"]
    if kind in live.DIGIT_KINDS:
        hyper["train_digits"] = int(str(digits).split()[0].replace(",", ""))
    return hyper


def kind_of(model: str) -> str:
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    return MODELS[model]

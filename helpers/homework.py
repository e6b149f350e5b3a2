"""The interface of the homework's ``mlp.py`` skeleton, so a student can put their code beside ours.

net = MLP(linear_1_in_features, linear_1_out_features, f_function,
          linear_2_in_features, linear_2_out_features, g_function)
J, dJdy_hat = mse_loss(y, y_hat)      # the skeleton's argument order: label first
net.backward(dJdy_hat)                # fills net.grads['dJdW1'], ...
net.clear_grad_and_cache()
"""

from __future__ import annotations

from helpers import losses
from helpers._validate import integer
from helpers.network import Network


class MLP(Network):
    """The homework's 2-layer network: Linear(in1 -> out1), f, Linear(in2 -> out2), g.

    f_function, g_function: 'relu', 'sigmoid', 'identity', 'tanh', any other name of
    :data:`helpers.activations.ACTIVATIONS`, or an Activation such as
    ``get_activation('scaled_relu', scale=5)`` (the f = 5 ReLU of problem 1.2).
    Parameters: W1 (out1, in1), b1 (out1,), W2 (out2, in2), b2 (out2,).
    """

    def __init__(
        self,
        linear_1_in_features,
        linear_1_out_features,
        f_function,
        linear_2_in_features,
        linear_2_out_features,
        g_function,
        *,
        init="randn",
        seed=0,
    ):
        names = ("linear_1_in_features", "linear_1_out_features", "linear_2_in_features", "linear_2_out_features")
        values = (linear_1_in_features, linear_1_out_features, linear_2_in_features, linear_2_out_features)
        for name, value in zip(names, values):
            integer(value, name, minimum=1)
        if linear_2_in_features != linear_1_out_features:
            raise ValueError(
                "linear_2_in_features must equal linear_1_out_features "
                f"({linear_1_out_features}), got {linear_2_in_features}"
            )
        sizes = [linear_1_in_features, linear_1_out_features, linear_2_out_features]
        super().__init__(sizes, [f_function, g_function], init=init, seed=seed)
        self.f_function, self.g_function = self.activations


def mse_loss(y, y_hat):
    """The homework's MSE: mean over all N*K entries of (y_hat - y)^2. y, y_hat: (N, K). Returns (J, dJdy_hat)."""
    return losses.mse(y_hat=y_hat, y=y, reduction="mean")


def bce_loss(y, y_hat):
    """The homework's BCE: mean over all N*K entries, y in {0, 1}. y, y_hat: (N, K). Returns (J, dJdy_hat)."""
    return losses.bce(y_hat=y_hat, y=y, reduction="mean")

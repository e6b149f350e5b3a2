"""One typical mistake for each exercise of the notebooks, for the autograde round trip (tests/test_nbgrader.py).

MISTAKES maps ``(notebook stem, grade_id of the exercise's solution cell)`` to the source of a wrong
but runnable function definition: the whole cell as a student who made that mistake would leave it.
The test copies the student edition, replaces the released stub cell (``# YOUR CODE HERE`` /
``raise NotImplementedError()``) by this source, autogrades it with ``nbgrader autograde`` and asserts
that the notebook loses exactly that exercise's points (and keeps every other exercise's). The
mistake should be one the exercise's self-check names, so its "not yet: ..." is tested too.

Every exercise needs an entry; tests/test_nbgrader.py fails on a missing or stale one. Example::

    MISTAKES = {
        ("05_softargmax", "softmax-solution"): '''
    def my_softmax(z, temperature):
        e = np.exp(z / temperature)  # the maximum is not subtracted: [1000, 1001, 1002] overflows
        return e / e.sum(axis=-1, keepdims=True)
    ''',
    }

The source may use the names the notebook has imported or defined before the exercise (``np`` here).
"""

MISTAKES: dict[tuple[str, str], str] = {
    ("01_sgd_steps", "training_step"): """def training_step(net, x, y, lr):
    y_hat = net.forward(x)
    J, dJ_dy_hat = losses.mse(y_hat=y_hat, y=y)
    net.backward(dJ_dy_hat)  # step 3, zero_grad, forgotten
    sgd_update(net, lr)
    return J
""",
    ("01_sgd_steps", "objective_gradient"): """def objective_gradient(y_hat, y):
    return 2 * (y_hat - y) / y.size  # PyTorch's N*K instead of N
""",
    ("02_regression_backprop", "forward_one_sample"): """def forward_one_sample(x, W1, b1, W2, b2):
    return W2 @ np.maximum(W1 @ x + b1, 0) + b2  # the 5 of f is missing
""",
    ("02_regression_backprop", "backward_one_sample"): """def backward_one_sample(x, y, W1, b1, W2, b2):
    z1 = W1 @ x + b1
    z2 = 5 * np.maximum(z1, 0)
    dl_dz3 = 2 * (W2 @ z2 + b2 - y)
    dl_dz1 = (W2.T @ dl_dz3) * (z1 > 0)  # f' without its 5
    return {"dW2": np.outer(dl_dz3, z2), "db2": dl_dz3, "dW1": np.outer(dl_dz1, x), "db1": dl_dz1}
""",
    ("02_regression_backprop", "jacobians"): """def jacobians(x, y, W1, b1, W2, b2):
    z1 = W1 @ x + b1
    y_hat = W2 @ (5 * np.maximum(z1, 0)) + b2
    dl_dy_hat = 2 * (y_hat - y)  # 1-D: not the row (1, K) of numerator layout
    return {"dz2_dz1": np.diag(5.0 * (z1 > 0)), "dy_hat_dz3": np.eye(len(b2)), "dl_dy_hat": dl_dy_hat}
""",
    ("03_classification_backprop", "backward_tanh_sigmoid"): """def backward_tanh_sigmoid(x, y, W1, b1, W2, b2):
    z2 = np.tanh(W1 @ x + b1)
    y_hat = 1 / (1 + np.exp(-(W2 @ z2 + b2)))
    dl_dz3 = 2 * (y_hat - y)  # sigma'(z3) forgotten
    dl_dz1 = (W2.T @ dl_dz3) * (1 - z2**2)
    return {"dW2": np.outer(dl_dz3, z2), "db2": dl_dz3, "dW1": np.outer(dl_dz1, x), "db1": dl_dz1}
""",
    ("03_classification_backprop", "bce_output_gradient"): """def bce_output_gradient(y_hat, y):
    return y_hat - y  # the 1/K is missing
""",
    ("03_classification_backprop", "gradient_norms"): """def gradient_norms(net, x, y):
    J, dJ_dy_hat = losses.bce(y_hat=net.forward(x), y=y)  # no zero_grad: stale gradients added in
    net.backward(dJ_dy_hat)
    return [np.linalg.norm(net.grads[f"dJdW{l}"]) for l in range(1, net.n_layers + 1)]
""",
    ("04_loss_derivation", "perceptron_loss"): """def perceptron_loss(z, y):
    return max(0.0, 1 - y * z)  # the SVM's hinge loss
""",
    ("04_loss_derivation", "adaline_loss"): """def adaline_loss(z, y):
    return abs(y - z)
""",
    ("04_loss_derivation", "tanh_logistic_gradient"): """def tanh_logistic_gradient(w, b, x, y):
    return (y - np.tanh(b + w @ x)) * x  # the sign is flipped
""",
    ("05_softargmax", "my_softmax"): """def my_softmax(z, temperature):
    e = np.exp(z / temperature)  # no maximum subtracted: overflows at 1000
    return e / e.sum(axis=-1, keepdims=True)
""",
    ("06_activation_derivatives", "softplus_derivative"): """def softplus_derivative(x, beta):
    return beta / (1 + np.exp(-beta * x))  # an extra factor beta
""",
    ("06_activation_derivatives", "gelu_derivative"): """def gelu_derivative(x):
    from math import erf, sqrt

    return 0.5 * (1 + np.vectorize(erf)(x / sqrt(2)))  # Phi(x) only, no product rule
""",
    ("07_linear_transformations", "reflection"): """def reflection(phi):
    c, s = np.cos(phi), np.sin(phi)  # phi where the matrix needs 2 phi
    return np.array([[c, s], [s, -c]])
""",
    ("07_linear_transformations", "collapse"): """def collapse(W1, b1, W2, b2):
    return W2 @ W1, b1 + b2  # W2 forgotten on b1
""",
    ("08_computational_graph", "homework_graph_answers"): """def homework_graph_answers(x, y, z, o):
    a, b = x + y, z * o
    c = a * b
    dw_dz = o * a  # z's direct path into w = c + z is missing
    return {"a": a, "b": b, "c": c, "w": c + z, "dw_dx": b, "dw_dy": b, "dw_dz": dw_dz, "dw_do": a * z}
""",
    ("08_computational_graph", "mul_backward"): """def mul_backward(a, b, out):
    a.grad = b.data * out.grad  # = instead of +=
    b.grad = a.data * out.grad
""",
}

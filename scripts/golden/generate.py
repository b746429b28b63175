"""Golden fixtures from Python Keras 3 (TensorFlow CPU) for tslab-keras' unit tests.

Writes small JSON files into test/fixtures/golden/: fixed inputs and what Keras computes from them,
so test/unit/golden-*.test.ts compare this library against Keras itself without needing Python.

    bash scripts/golden/setup-env.sh            # once: creates .venv-keras/ (git-ignored)
    .venv-keras/bin/python scripts/golden/generate.py

Every input (4 decimals, used as float32 by both sides) is written into the fixture next to Keras'
results (8 decimals), so the fixtures are self-contained; a rerun reproduces them byte for byte.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers, optimizers, regularizers, initializers  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ in the repo
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from callbacks_golden import callback_fixtures, format_fixtures  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "golden")
RNG = np.random.RandomState(20240601)


def arr(*shape, scale=1.0):
    """A float32 array of rounded values (exactly representable in the JSON we write)."""
    return np.round(RNG.uniform(-1, 1, size=shape) * scale, 4).astype("float32")


def tolist(x):
    return np.asarray(x, dtype="float64").round(8).tolist()


def compact_json(value, indent=0):
    """JSON with one line per leaf object or number array: small, and readable in a diff."""
    pad = " " * indent
    if isinstance(value, dict) and not is_leaf(value):
        items = [f'{pad} {json.dumps(str(k))}: {compact_json(v, indent + 1).lstrip()}' for k, v in value.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and not is_leaf(value):
        items = [compact_json(v, indent + 1) for v in value]
        return pad + "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return pad + json.dumps(value, separators=(",", ":"))


def is_leaf(value):
    """Numbers, strings, and lists/dicts of them (nested number lists count as leaves)."""
    if isinstance(value, dict):
        return all(is_leaf(v) and not isinstance(v, (dict, list)) for v in value.values()) or len(value) == 0
    if isinstance(value, list):
        return all(isinstance(v, (int, float, str, bool)) or v is None or (isinstance(v, list) and is_leaf(v))
                   for v in value)
    return True


def write(name, data):
    data = {
        "generator": "scripts/golden/generate.py",
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        **data,
    }
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        f.write(compact_json(data) + "\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


# --- optimizers: three update steps on two variables -------------------------------------------

W0 = {"kernel": arr(3, 2), "bias": arr(2)}
# Gradients shrink over the steps, so AMSGrad's running max differs from Adam's velocity, and the
# first ones are large enough for the clipping thresholds below to bite.
GRADS = [
    {"kernel": arr(3, 2, scale=3.0), "bias": arr(2, scale=3.0)},
    {"kernel": arr(3, 2, scale=1.0), "bias": arr(2, scale=1.0)},
    {"kernel": arr(3, 2, scale=0.2), "bias": arr(2, scale=0.2)},
]

# (case name, Keras class, Keras kwargs, tslab-keras options). Keras 3 dropped `decay`; Keras 2's
# inverse-time decay lr / (1 + decay * iterations) is InverseTimeDecay(lr, decay_steps=1, decay_rate=decay).
OPTIMIZER_CASES = [
    ("sgd", "SGD", {"learning_rate": 0.1}, {"learningRate": 0.1}),
    ("sgd_momentum", "SGD", {"learning_rate": 0.1, "momentum": 0.9}, {"learningRate": 0.1, "momentum": 0.9}),
    (
        "sgd_nesterov",
        "SGD",
        {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
        {"learningRate": 0.1, "momentum": 0.9, "nesterov": True},
    ),
    ("sgd_decay", "SGD", {"learning_rate": ("decay", 0.1, 0.5)}, {"learningRate": 0.1, "decay": 0.5}),
    (
        "sgd_momentum_decay",
        "SGD",
        {"learning_rate": ("decay", 0.1, 0.25), "momentum": 0.9, "nesterov": True},
        {"learningRate": 0.1, "decay": 0.25, "momentum": 0.9, "nesterov": True},
    ),
    ("sgd_clipnorm", "SGD", {"learning_rate": 0.1, "clipnorm": 1.0}, {"learningRate": 0.1, "clipnorm": 1.0}),
    ("sgd_clipvalue", "SGD", {"learning_rate": 0.1, "clipvalue": 0.5}, {"learningRate": 0.1, "clipvalue": 0.5}),
    (
        "sgd_global_clipnorm",
        "SGD",
        {"learning_rate": 0.1, "global_clipnorm": 1.5},
        {"learningRate": 0.1, "globalClipnorm": 1.5},
    ),
    ("rmsprop", "RMSprop", {"learning_rate": 0.01}, {"learningRate": 0.01}),
    (
        "rmsprop_centered_momentum",
        "RMSprop",
        {"learning_rate": 0.01, "momentum": 0.5, "centered": True},
        {"learningRate": 0.01, "momentum": 0.5, "centered": True},
    ),
    ("adagrad", "Adagrad", {"learning_rate": 0.1}, {"learningRate": 0.1}),
    ("adadelta", "Adadelta", {"learning_rate": 1.0}, {"learningRate": 1.0}),
    ("adam", "Adam", {"learning_rate": 0.01}, {"learningRate": 0.01}),
    # beta_2 = 0.5 lets the velocity fall as the gradients shrink, so AMSGrad's max visibly differs.
    # The tslab-keras side uses Keras' snake_case spellings here, which are accepted too.
    (
        "adam_amsgrad",
        "Adam",
        {"learning_rate": 0.1, "beta_2": 0.5, "amsgrad": True},
        {"learning_rate": 0.1, "beta_2": 0.5, "amsgrad": True},
    ),
    ("adam_beta2", "Adam", {"learning_rate": 0.1, "beta_2": 0.5}, {"learningRate": 0.1, "beta2": 0.5}),
    (
        "adam_decay_clipnorm",
        "Adam",
        {"learning_rate": ("decay", 0.01, 0.1), "clipnorm": 1.0},
        {"learningRate": 0.01, "decay": 0.1, "clipnorm": 1.0},
    ),
    ("adamax", "Adamax", {"learning_rate": 0.01}, {"learningRate": 0.01}),
    ("adam_defaults", "Adam", {}, {}),
    ("rmsprop_defaults", "RMSprop", {}, {}),
    ("adagrad_defaults", "Adagrad", {}, {}),
    ("adadelta_defaults", "Adadelta", {}, {}),
]


def keras_kwargs(kwargs):
    out = dict(kwargs)
    lr = out.get("learning_rate")
    if isinstance(lr, tuple):
        _, initial, rate = lr
        out["learning_rate"] = optimizers.schedules.InverseTimeDecay(initial, decay_steps=1, decay_rate=rate)
    return out


def optimizer_fixtures():
    cases = []
    for name, cls, kwargs, ours in OPTIMIZER_CASES:
        opt = getattr(optimizers, cls)(**keras_kwargs(kwargs))
        variables = [keras.Variable(W0["kernel"], name="kernel"), keras.Variable(W0["bias"], name="bias")]
        steps = []
        for g in GRADS:
            opt.apply_gradients(zip([tf.constant(g["kernel"]), tf.constant(g["bias"])], variables))
            steps.append({"kernel": tolist(variables[0].numpy()), "bias": tolist(variables[1].numpy())})
        cases.append({"name": name, "class": cls, "options": ours, "steps": steps})
    return {
        "initial": {k: tolist(v) for k, v in W0.items()},
        "grads": [{k: tolist(v) for k, v in g.items()} for g in GRADS],
        "cases": cases,
    }


# --- regularizers --------------------------------------------------------------------------------


def regularizer_fixtures():
    w = arr(4, 3, scale=2.0)
    cases = [
        ("l1_default", regularizers.l1(), {"fn": "l1"}),
        ("l1_0.001", regularizers.l1(0.001), {"fn": "l1", "args": [0.001]}),
        ("l2_default", regularizers.l2(), {"fn": "l2"}),
        ("l2_0.1", regularizers.l2(0.1), {"fn": "l2", "args": [0.1]}),
        ("l1_l2_both", regularizers.l1_l2(l1=0.01, l2=0.01), {"fn": "l1_l2", "args": [{"l1": 0.01, "l2": 0.01}]}),
        ("l1_l2_only_l2", regularizers.l1_l2(l2=0.1), {"fn": "l1_l2", "args": [{"l2": 0.1}]}),
        ("L1L2_defaults", regularizers.L1L2(), {"fn": "L1L2"}),
        ("get_l1", regularizers.get("l1"), {"get": "l1"}),
        ("get_l2", regularizers.get("l2"), {"get": "l2"}),
        ("get_l1l2", regularizers.get("l1l2"), {"get": "l1l2"}),
    ]
    out = []
    for name, reg, call in cases:
        out.append({"name": name, **call, "config": reg.get_config(), "penalty": float(reg(w))})
    return {"weights": tolist(w), "cases": out}


# --- layers: Dense, BatchNormalization, Dropout ------------------------------------------------


def layer_fixtures():
    x = arr(4, 5)
    dense = []
    for act in ["linear", "relu", "softmax", "sigmoid", "tanh"]:
        layer = layers.Dense(3, activation=act)
        layer.build((None, 5))
        kernel, bias = arr(5, 3), arr(3, scale=0.5)
        layer.set_weights([kernel, bias])
        dense.append(
            {"activation": act, "kernel": tolist(kernel), "bias": tolist(bias), "output": tolist(layer(x).numpy())}
        )

    xb = arr(6, 4, scale=2.0) + np.float32(0.5)
    gamma, beta = arr(4, scale=0.5) + np.float32(1.0), arr(4, scale=0.5)
    mean0, var0 = arr(4, scale=0.3), np.abs(arr(4)) + np.float32(0.5)
    bn = layers.BatchNormalization()  # Keras 3 defaults: momentum 0.99, epsilon 1e-3
    bn.build((None, 4))
    bn.set_weights([gamma, beta, mean0, var0])
    inference = bn(xb, training=False).numpy()
    training = bn(xb, training=True).numpy()
    moving_mean, moving_var = bn.moving_mean.numpy(), bn.moving_variance.numpy()
    training2 = bn(xb * 0.5, training=True).numpy()
    batchnorm = {
        "momentum": bn.momentum,
        "epsilon": bn.epsilon,
        "x": tolist(xb),
        "gamma": tolist(gamma),
        "beta": tolist(beta),
        "moving_mean": tolist(mean0),
        "moving_variance": tolist(var0),
        "inference_output": tolist(inference),
        "training_output": tolist(training),
        "moving_mean_after": tolist(moving_mean),
        "moving_variance_after": tolist(moving_var),
        "second_x_scale": 0.5,
        "second_training_output": tolist(training2),
        "moving_mean_after_second": tolist(bn.moving_mean.numpy()),
        "moving_variance_after_second": tolist(bn.moving_variance.numpy()),
    }

    dropout = []
    ones = np.ones((200, 50), dtype="float32")
    for rate in [0.2, 0.5, 0.8]:
        y = layers.Dropout(rate, seed=1)(ones, training=True).numpy()
        kept = sorted(set(np.round(y[y != 0], 6).tolist()))
        dropout.append(
            {
                "rate": rate,
                "kept_values": kept,
                "kept_fraction": float((y != 0).mean()),
                "inference_equals_input": bool(np.array_equal(layers.Dropout(rate)(ones, training=False), ones)),
            }
        )
    return {"x": tolist(x), "dense": dense, "batchnorm": batchnorm, "dropout": dropout}


# --- initializers: configs and sample statistics ------------------------------------------------


def initializer_fixtures():
    shape = (200, 100)
    out = []
    for name in [
        "glorot_uniform",
        "glorot_normal",
        "he_uniform",
        "he_normal",
        "lecun_uniform",
        "lecun_normal",
        "random_uniform",
        "uniform",
        "random_normal",
        "normal",
        "truncated_normal",
        "orthogonal",
        "zeros",
        "ones",
    ]:
        init = initializers.get(name)
        cfg = init.get_config()
        if "seed" in cfg:
            init = type(init)(**{**cfg, "seed": 7})
        v = np.asarray(init(shape, dtype="float32"))
        out.append(
            {
                "name": name,
                "class": type(init).__name__,
                "config": {k: val for k, val in cfg.items() if k != "seed"},
                "mean": float(v.mean()),
                "std": float(v.std()),
                "min": float(v.min()),
                "max": float(v.max()),
            }
        )
    const = initializers.Constant(0.25)
    out.append({"name": "constant", "class": "Constant", "config": const.get_config(), "value": 0.25,
                "mean": 0.25, "std": 0.0, "min": 0.25, "max": 0.25})
    return {"shape": list(shape), "cases": out}


# --- model summaries: parameter counts of the seed lessons' models ------------------------------


def summary(model):
    rows = []
    for layer in model.layers:
        rows.append(
            {
                "class": type(layer).__name__,
                "output_shape": list(layer.output.shape),
                "params": int(layer.count_params()),
            }
        )
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    non_trainable = int(sum(np.prod(w.shape) for w in model.non_trainable_weights))
    return {"layers": rows, "total": trainable + non_trainable, "trainable": trainable, "non_trainable": non_trainable}


def seed_models():
    D, Dr, BN, A = layers.Dense, layers.Dropout, layers.BatchNormalization, layers.Activation
    inp = lambda *s: keras.Input(shape=s)  # noqa: E731
    models = {
        "000_mlp_dropout": [inp(784), D(512, activation="relu"), Dr(0.2), D(512, activation="relu"), Dr(0.2),
                            D(10, activation="softmax")],
        "000_mlp_dropout_bn": [inp(784), D(512, activation="relu"), Dr(0.2), BN(), D(512, activation="relu"),
                               Dr(0.2), BN(), D(10, activation="softmax")],
        "002_basic": [inp(784), D(196), A("relu"), D(49), A("relu"), D(10), A("softmax")],
        "002_dropout": [inp(784), D(392), A("relu"), Dr(0.5), D(98), A("relu"), Dr(0.5), D(24), A("relu"), Dr(0.5),
                        D(10), A("softmax")],
        "002_bn": [inp(784), D(196), A("relu"), BN(), D(49), A("relu"), BN(), D(10), A("softmax")],
        "002_bn_dropout": [inp(784), D(196), A("relu"), Dr(0.5), BN(), D(49), A("relu"), Dr(0.5), BN(), D(10),
                           A("softmax")],
        "003_deep_5x256": [inp(784)]
        + sum([[D(256, kernel_initializer="glorot_uniform", activation="relu"), Dr(0.2)] for _ in range(5)], [])
        + [D(10, kernel_initializer="glorot_uniform", activation="softmax")],
        "004_cifar_cnn": [
            inp(32, 32, 3),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPool2D(pool_size=(2, 2), strides=2, padding="same"),
            Dr(0.2),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.MaxPool2D(pool_size=(2, 2), strides=2, padding="same"),
            Dr(0.2),
            layers.Conv2D(128, 3, padding="same", activation="relu"),
            layers.Conv2D(128, 3, padding="same", activation="relu"),
            layers.MaxPool2D(pool_size=(2, 2), strides=2, padding="same"),
            Dr(0.2),
            layers.Flatten(),
            D(256, activation="relu"),
            D(10, activation="softmax"),
        ],
    }
    return {name: summary(keras.Sequential(stack)) for name, stack in models.items()}


def main():
    os.makedirs(OUT, exist_ok=True)
    keras.utils.set_random_seed(1234)
    write("optimizers.json", optimizer_fixtures())
    write("regularizers.json", regularizer_fixtures())
    write("layers.json", layer_fixtures())
    write("initializers.json", initializer_fixtures())
    write("summaries.json", {"models": seed_models()})
    write("callbacks.json", callback_fixtures())
    write("format.json", format_fixtures())
    return 0


if __name__ == "__main__":
    sys.exit(main())

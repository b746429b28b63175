"""Golden fixtures of Keras 3's functional API for tslab-keras (test/fixtures/golden/functional.json).

    .venv-keras/bin/python scripts/golden/functional.py

Small functional models with fixed weights: their printed summaries (Keras' default 108 columns, as in a
wide terminal), forward outputs, the weights after one SGD step, the per-output losses and history keys of a
two-output model, and `get_config()` (the layer graph with inbound_nodes). Inputs and weights are rounded
to 4 decimals so both sides use the same float32 values.
"""

import io
import json
import os
import sys
from contextlib import redirect_stdout

os.environ["COLUMNS"] = "200"  # Keras caps the summary at the terminal width; 200 leaves its default 108
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import tolist, write  # noqa: E402

RNG = np.random.RandomState(20241201)


def arr(*shape, scale=1.0):
    """As generate.py's arr, from this file's own random stream."""
    return np.round(RNG.uniform(-1, 1, size=shape) * scale, 4).astype("float32")


def residual():
    x = keras.Input(shape=(4,), name="x")
    h = layers.Dense(5, activation="relu", name="d1")(x)
    h2 = layers.Dense(5, activation="tanh", name="d2")(h)
    s = layers.Add(name="add")([h, h2])
    o = layers.Dense(3, name="out")(s)
    return keras.Model(inputs=x, outputs=o, name="residual")


def two_inputs():
    a = keras.Input(shape=(3,), name="a")
    b = keras.Input(shape=(2,), name="b")
    c = layers.Concatenate(name="concat")([a, b])
    h = layers.Dense(4, activation="relu", name="hidden")(c)
    o = layers.Dense(2, activation="sigmoid", name="out")(h)
    return keras.Model(inputs=[a, b], outputs=o, name="two_inputs")


def two_outputs():
    a = keras.Input(shape=(3,), name="a")
    b = keras.Input(shape=(2,), name="b")
    c = layers.Concatenate(name="concat")([a, b])
    h = layers.Dense(4, activation="relu", name="hidden")(c)
    o1 = layers.Dense(1, name="out1")(h)
    o2 = layers.Dense(2, activation="softmax", name="out2")(h)
    return keras.Model(inputs=[a, b], outputs=[o1, o2], name="two_outputs")


def fix_weights(model):
    weights = {}
    for layer in model.layers:
        ws = [arr(*w.shape, scale=0.5) for w in layer.weights]
        if ws:
            layer.set_weights(ws)
            weights[layer.name] = [tolist(w) for w in ws]
    return weights


def layer_weights(model):
    return {l.name: [tolist(w) for w in l.get_weights()] for l in model.layers if l.weights}


def summary_lines(model):
    buf = io.StringIO()
    with redirect_stdout(buf):
        model.summary()
    return buf.getvalue().rstrip("\n").split("\n")


def single_output_case(build, inputs):
    model = build()
    weights = fix_weights(model)
    summary = summary_lines(model)
    out = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    y = arr(*out.shape)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    loss = model.train_on_batch(inputs if len(inputs) > 1 else inputs[0], y)
    return {
        "summary": summary,
        "weights": weights,
        "x": [tolist(x) for x in inputs],
        "output": tolist(out),
        "y": tolist(y),
        "loss": float(loss),
        "weights_after_step": layer_weights(model),
    }


def two_output_case():
    model = two_outputs()
    weights = fix_weights(model)
    summary = summary_lines(model)
    xa, xb = arr(6, 3), arr(6, 2)
    y1 = arr(6, 1)
    y2 = np.eye(2, dtype="float32")[[0, 1, 1, 0, 1, 0]]
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.1),
        loss=["mse", "categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
        metrics=[["mae"], ["accuracy"]],
    )
    before = model.evaluate([xa, xb], [y1, y2], verbose=0, batch_size=6, return_dict=True)
    history = model.fit([xa, xb], [y1, y2], batch_size=6, epochs=1, shuffle=False, verbose=0)
    return {
        "summary": summary,
        "weights": weights,
        "x": [tolist(xa), tolist(xb)],
        "y": [tolist(y1), tolist(y2)],
        "evaluate_before": {k: float(v) for k, v in before.items()},
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "weights_after_step": layer_weights(model),
    }


def main():
    keras.utils.set_random_seed(1234)
    data = {
        "generator": "scripts/golden/functional.py",
        "residual": single_output_case(residual, [arr(4, 4)]),
        "two_inputs": single_output_case(two_inputs, [arr(4, 3), arr(4, 2)]),
        "two_outputs": two_output_case(),
        "residual_config": residual().get_config(),
    }
    write("functional.json", data)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Keras 3 files of models beyond the core layers, for the round trips in test/unit/saving-python-layers.test.ts.

  .venv-keras/bin/python scripts/golden/saving_zoo.py build DIR        # DIR/<name>.keras, .h5, .x.json, .out.json
  .venv-keras/bin/python scripts/golden/saving_zoo.py predict JOBS.json

`build` makes, trains one seeded epoch and saves (Keras 3 .keras and legacy .h5) eight models: a functional
one with two inputs (a dict), two outputs, a shared layer, a residual Add and every merge layer; an
Embedding(mask_zero) + Bidirectional(LSTM) + TimeDistributed + LSTM text model; a GRU/SimpleRNN model; a
Conv1D + pooling model; a CNN with the augmentations, SeparableConv2D, AveragePooling2D, Conv2DTranspose,
padding/cropping/upsampling and LayerNormalization; Normalization (adapted and given) + Rescaling; a
functional model calling a Sequential block and a functional head; and a functional Embedding(mask_zero)
text model (Keras 3 writes its mask as a NotEqual op). The
functional one is also written with a Keras 2 style config (`residual.keras2.h5`). Each model's inputs and
Keras' predictions go next to it as JSON. `predict` loads the files a job list names (ours) and writes
Keras' predictions for each: {"predictions": array, or a list of arrays for several outputs, "iterations"}.
"""

import json
import os
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers as L  # noqa: E402


def residual():
    a = keras.Input((6,), name="a")
    b = keras.Input((4,), name="b")
    ha = L.Dense(8, activation="relu", name="ha")(a)
    hb = L.Dense(8, activation="relu", name="hb")(b)
    shared = L.Dense(8, activation="tanh", name="shared")
    sa, sb = shared(ha), shared(hb)
    s = L.Add(name="add")([sa, sb])
    res = L.Add(name="residual")([s, L.Dense(8, activation="relu", name="r")(s)])
    pair = [sa, sb]
    merged = L.Concatenate(name="merged")(
        [res, L.Multiply()(pair), L.Average()(pair), L.Subtract()(pair), L.Maximum()(pair), L.Minimum()(pair)]
        + [L.Dot(axes=1)(pair)]
    )
    cls = L.Dense(3, activation="softmax", name="cls")(merged)
    reg = L.Dense(1, name="reg")(L.Concatenate(name="with_b")([res, b]))
    m = keras.Model({"a": a, "b": b}, [cls, reg], name="residual")
    m.compile(
        optimizer="adam",
        loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
        loss_weights={"cls": 1.0, "reg": 0.5},
        metrics={"cls": ["accuracy"]},
    )
    return m


def text():
    m = keras.Sequential(
        [
            keras.Input((10,)),
            L.Embedding(30, 8, mask_zero=True),
            L.Bidirectional(L.LSTM(6, return_sequences=True)),
            L.TimeDistributed(L.Dense(5, activation="relu")),
            L.LSTM(4),
            L.Dense(1, activation="sigmoid"),
        ],
        name="text",
    )
    m.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return m


def gru():
    m = keras.Sequential(
        [
            keras.Input((7, 3)),
            L.GRU(6, return_sequences=True),
            L.SimpleRNN(5, return_sequences=True, go_backwards=True),
            L.GRU(4, reset_after=False),
            L.Dense(2),
        ],
        name="gru",
    )
    m.compile(optimizer="rmsprop", loss="mse")
    return m


def conv1d():
    m = keras.Sequential(
        [
            keras.Input((20, 3)),
            L.Conv1D(8, 3, padding="causal", activation="relu"),
            L.MaxPooling1D(2),
            L.Conv1D(8, 3, padding="same", dilation_rate=2),
            L.AveragePooling1D(2),
            L.SpatialDropout1D(0.1),
            L.GlobalMaxPooling1D(),
            L.Dense(3, activation="softmax"),
        ],
        name="conv1d",
    )
    m.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss="sparse_categorical_crossentropy")
    return m


def cnn():
    m = keras.Sequential(
        [
            keras.Input((12, 12, 3)),
            L.RandomFlip("horizontal"),
            L.RandomRotation(0.1),
            L.RandomZoom(0.1),
            L.RandomTranslation(0.1, 0.1),
            L.SeparableConv2D(6, 3, padding="same", activation="relu"),
            L.AveragePooling2D(2),
            L.Conv2DTranspose(4, 3, strides=2, padding="same"),
            L.ZeroPadding2D(1),
            L.Cropping2D(((1, 0), (0, 1))),
            L.UpSampling2D(2),
            L.LayerNormalization(),
            L.SpatialDropout2D(0.1),
            L.GlobalAveragePooling2D(),
            L.Dense(3, activation="softmax"),
        ],
        name="cnn",
    )
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def norm(x):
    n = L.Normalization()
    n.adapt(x)
    m = keras.Sequential(
        [
            keras.Input((4,)),
            n,
            L.Rescaling(0.5, offset=0.1),
            L.Normalization(mean=0.2, variance=2.0),
            L.Dense(6, activation="relu"),
            L.GaussianNoise(0.1),
            L.RepeatVector(3),
            L.Permute((2, 1)),
            L.Flatten(),
            L.Dense(2),
        ],
        name="norm",
    )
    m.compile(optimizer="adam", loss="mse")
    return m


def nested():
    block = keras.Sequential([L.Dense(4, activation="relu"), L.Dropout(0.2)], name="block")
    hx = keras.Input((4,), name="hx")
    head = keras.Model(hx, L.Dense(2, activation="tanh", name="hd")(hx), name="head")
    x = keras.Input((3,), name="nx")
    m = keras.Model(x, L.Dense(1, name="nout")(head(block(x))), name="nested")
    m.compile(optimizer="sgd", loss="mse")
    return m


def functext():
    """A functional text model: Keras 3 writes its Embedding mask as a NotEqual op and `mask` call arguments."""
    tokens = keras.Input((8,), name="tokens")
    h = L.Embedding(25, 6, mask_zero=True)(tokens)
    h = L.Bidirectional(L.LSTM(4, return_sequences=True))(h)
    h = L.GRU(3)(L.Dropout(0.1)(h))
    m = keras.Model(tokens, L.Dense(1, activation="sigmoid")(h), name="functext")
    m.compile(optimizer="adam", loss="binary_crossentropy")
    return m


def data(rng):
    """Each model's inputs (as the JSON a test reads) and training targets."""
    ids = rng.integers(1, 30, (12, 10))
    for i, n in enumerate(rng.integers(3, 11, 12)):
        ids[i, n:] = 0  # padding the mask skips
    short = ids[:, :8] % 25
    return {
        "residual": (
            {"a": rng.normal(size=(12, 6)).astype("float32"), "b": rng.normal(size=(12, 4)).astype("float32")},
            [np.arange(12) % 3, rng.normal(size=(12, 1)).astype("float32")],
        ),
        "text": (ids.astype("float32"), (np.arange(12) % 2).astype("float32")),
        "gru": (rng.normal(size=(12, 7, 3)).astype("float32"), rng.normal(size=(12, 2)).astype("float32")),
        "conv1d": (rng.normal(size=(12, 20, 3)).astype("float32"), np.arange(12) % 3),
        "cnn": (rng.random((12, 12, 12, 3), dtype=np.float32), np.arange(12) % 3),
        "norm": ((rng.normal(size=(12, 4)) * 3 + 5).astype("float32"), rng.normal(size=(12, 2)).astype("float32")),
        "nested": (rng.normal(size=(12, 3)).astype("float32"), rng.normal(size=(12, 1)).astype("float32")),
        "functext": (short.astype("float32"), (np.arange(12) % 2).astype("float32")),
    }


def to_json(v):
    if isinstance(v, dict):
        return {"dict": {k: x.tolist() for k, x in v.items()}}
    if isinstance(v, (list, tuple)):
        return {"list": [x.tolist() for x in v]}
    return v.tolist()


def from_json(v):
    if isinstance(v, dict) and "dict" in v:
        return {k: np.array(x, dtype="float32") for k, x in v["dict"].items()}
    if isinstance(v, dict) and "list" in v:
        return [np.array(x, dtype="float32") for x in v["list"]]
    return np.array(v, dtype="float32")


def predictions(m, x):
    p = m.predict(x, verbose=0)
    return [q.tolist() for q in p] if isinstance(p, (list, tuple)) else p.tolist()


def keras2_config(file):
    """Rewrites a Keras 3 legacy .h5's functional model_config as tf.keras 2.15 wrote it (nodes as lists)."""
    import h5py

    with h5py.File(file, "r+") as f:
        cfg = json.loads(f.attrs["model_config"])
        for layer in cfg["config"]["layers"]:
            for key in ("module", "registered_name", "build_config"):
                layer.pop(key, None)
            c = layer["config"]
            if isinstance(c.get("dtype"), dict):
                c["dtype"] = c["dtype"]["config"]["name"]
            if layer["class_name"] == "InputLayer":
                c["batch_input_shape"] = c.pop("batch_shape")
                c.pop("optional", None)
            nodes = []
            for node in layer["inbound_nodes"]:
                args = node["args"][0] if isinstance(node["args"][0], list) else [node["args"][0]]
                nodes.append([[*t["config"]["keras_history"], {}] for t in args])
            layer["inbound_nodes"] = nodes
        cfg["config"]["output_layers"] = [list(r) for r in cfg["config"]["output_layers"]]
        f.attrs["model_config"] = json.dumps(cfg)
        f.attrs["keras_version"] = "2.15.0"


def build(out):
    keras.utils.set_random_seed(11)
    rng = np.random.default_rng(11)
    os.makedirs(out, exist_ok=True)
    sets = data(rng)
    makers = {"residual": residual, "text": text, "gru": gru, "conv1d": conv1d, "cnn": cnn, "nested": nested, "functext": functext}
    for name, (x, y) in sets.items():
        m = norm(x) if name == "norm" else makers[name]()
        m.fit(x, y, epochs=1, batch_size=4, verbose=0)
        m.save(os.path.join(out, f"{name}.keras"))
        m.save(os.path.join(out, f"{name}.h5"))
        json.dump(to_json(x), open(os.path.join(out, f"{name}.x.json"), "w"))
        result = {"predictions": predictions(m, x), "iterations": int(m.optimizer.iterations.numpy())}
        json.dump(result, open(os.path.join(out, f"{name}.out.json"), "w"))
    shutil.copy(os.path.join(out, "residual.h5"), os.path.join(out, "residual.keras2.h5"))
    keras2_config(os.path.join(out, "residual.keras2.h5"))


def predict(jobs_file):
    for job in json.load(open(jobs_file)):
        m = keras.models.load_model(job["file"])
        x = from_json(json.load(open(job["x"])))
        it = int(m.optimizer.iterations.numpy()) if m.optimizer is not None else None
        json.dump({"predictions": predictions(m, x), "iterations": it}, open(job["out"], "w"))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "build":
        build(sys.argv[2])
    elif cmd == "predict":
        predict(sys.argv[2])
    else:
        sys.exit(f"usage: saving_zoo.py build DIR | predict JOBS.json (got {cmd!r})")

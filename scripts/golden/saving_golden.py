"""Keras-written model files for the saving tests, and a checker that loads OUR files in Keras.

  .venv-keras/bin/python scripts/golden/saving_golden.py fixtures      # writes test/fixtures/saving/*
  .venv-keras/bin/python scripts/golden/saving_golden.py predict FILE X.json OUT.json
  .venv-keras/bin/python scripts/golden/saving_golden.py cnn004 OUT.keras X.json OUT.json

`fixtures` trains (one epoch, seeded) a Sequential MLP with BatchNormalization and Dropout and a small
CNN with lesson 004's layer kinds, saves them as .keras, .weights.h5 and legacy .h5, and writes the inputs
and Keras' predictions to saving.json. `predict` loads any model file with keras.models.load_model and
writes its predictions (and the optimizer's iteration count) as JSON. `cnn004` builds and briefly trains
the full lesson 004 CNN (too large to commit) and saves it with its predictions.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "saving")


def mlp():
    return keras.Sequential(
        [
            keras.Input((6,)),
            layers.Dense(8, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01)),
            layers.BatchNormalization(),
            layers.Dropout(0.3),
            layers.Dense(3, activation="softmax"),
        ],
        name="mlp",
    )


def small_cnn():
    return keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            layers.Conv2D(4, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2), strides=2, padding="same"),
            layers.Dropout(0.2),
            layers.Conv2D(6, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2), strides=2, padding="same"),
            layers.Flatten(),
            layers.Dense(5, activation="relu"),
            layers.Dense(3, activation="softmax"),
        ],
        name="small_cnn",
    )


def cnn004():
    conv = lambda f: layers.Conv2D(f, 3, padding="same", activation="relu")  # noqa: E731
    pool = lambda: layers.MaxPooling2D(pool_size=(2, 2), strides=2, padding="same")  # noqa: E731
    return keras.Sequential(
        [keras.Input((32, 32, 3)), conv(32), conv(32), pool(), layers.Dropout(0.2)]
        + [conv(64), conv(64), pool(), layers.Dropout(0.2)]
        + [conv(128), conv(128), pool(), layers.Dropout(0.2)]
        + [layers.Flatten(), layers.Dense(256, activation="relu"), layers.Dense(10, activation="softmax")]
    )


def fixtures():
    keras.utils.set_random_seed(7)
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(7)
    golden = {"keras_version": keras.__version__}

    x = rng.random((24, 6), dtype=np.float32)
    y = keras.utils.to_categorical(np.arange(24) % 3, 3)
    m = mlp()
    m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    m.fit(x, y, epochs=1, batch_size=8, verbose=0)
    m.save(os.path.join(OUT, "keras_mlp.keras"))
    m.save_weights(os.path.join(OUT, "keras_mlp.weights.h5"))
    m.save(os.path.join(OUT, "keras_mlp.h5"))
    golden["mlp"] = {
        "x": x.tolist(),
        "y": y.tolist(),
        "predictions": m.predict(x, verbose=0).tolist(),
        "evaluate": [float(v) for v in m.evaluate(x, y, verbose=0)],
        "iterations": int(m.optimizer.iterations.numpy()),
        "momentum0": m.optimizer.variables[2].numpy().tolist(),
    }

    xc = rng.random((6, 8, 8, 3), dtype=np.float32)
    yc = np.arange(6) % 3
    c = small_cnn()
    c.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy", metrics=["acc"])
    c.fit(xc, yc, epochs=1, batch_size=3, verbose=0)
    c.save(os.path.join(OUT, "keras_cnn.keras"))
    golden["cnn"] = {"x": xc.tolist(), "predictions": c.predict(xc, verbose=0).tolist()}

    keras2_h5(m, os.path.join(OUT, "keras2_mlp.h5"))

    with open(os.path.join(OUT, "saving.json"), "w") as f:
        json.dump(golden, f)
    print("wrote", sorted(os.listdir(OUT)))


def keras2_h5(model, file):
    """The MLP in tf.keras 2.x's HDF5 layout (what Keras 2 courses hand out), written with h5py.

    There is no Keras 2 here, so the file spells out Keras 2.15's format: configs without `module`,
    `batch_input_shape` on the first layer, `dtype` as a string, BatchNormalization's built `axis` as a
    list, `Custom>Adam` with Keras 2 optimizer keys, metrics wrapped in MeanMetricWrapper, and weights
    under `model_weights/<layer>/<layer>/<name>:0`.
    """
    import h5py

    init = lambda c: {"class_name": c, "config": {"seed": None} if c == "GlorotUniform" else {}}  # noqa: E731
    common = lambda name: {"name": name, "trainable": True, "dtype": "float32"}  # noqa: E731
    dense = lambda name, units, act, extra: {  # noqa: E731
        "class_name": "Dense",
        "config": {
            **common(name),
            **extra,
            "units": units,
            "activation": act,
            "use_bias": True,
            "kernel_initializer": init("GlorotUniform"),
            "bias_initializer": init("Zeros"),
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        },
    }
    first = dense("dense", 8, "relu", {"batch_input_shape": [None, 6]})
    first["config"]["kernel_regularizer"] = {"class_name": "L2", "config": {"l2": 0.009999999776482582}}
    bn = {
        "class_name": "BatchNormalization",
        "config": {
            **common("batch_normalization"),
            "axis": [1],
            "momentum": 0.99,
            "epsilon": 0.001,
            "center": True,
            "scale": True,
            "beta_initializer": init("Zeros"),
            "gamma_initializer": init("Ones"),
            "moving_mean_initializer": init("Zeros"),
            "moving_variance_initializer": init("Ones"),
            "beta_regularizer": None,
            "gamma_regularizer": None,
            "beta_constraint": None,
            "gamma_constraint": None,
        },
    }
    dropout = {"class_name": "Dropout", "config": {**common("dropout"), "rate": 0.3, "noise_shape": None, "seed": None}}
    layers_cfg = [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 6], "dtype": "float32", "sparse": False, "ragged": False, "name": "dense_input"}},
        first,
        bn,
        dropout,
        dense("dense_1", 3, "softmax", {}),
    ]
    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers_cfg}}
    training_config = {
        "loss": "categorical_crossentropy",
        "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "dtype": "float32", "fn": "categorical_accuracy"}}]],
        "weighted_metrics": None,
        "loss_weights": None,
        "optimizer_config": {
            "class_name": "Custom>Adam",
            "config": {
                "name": "Adam", "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
                "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "jit_compile": False,
                "is_legacy_optimizer": False, "learning_rate": 0.0010000000474974513, "beta_1": 0.9,
                "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False,
            },
        },
    }
    names = {"dense": ["kernel", "bias"], "batch_normalization": ["gamma", "beta", "moving_mean", "moving_variance"], "dropout": [], "dense_1": ["kernel", "bias"]}
    with h5py.File(file, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["model_config"] = json.dumps(model_config)
        f.attrs["training_config"] = json.dumps(training_config)
        g = f.create_group("model_weights")
        g.attrs["backend"] = "tensorflow"
        g.attrs["keras_version"] = "2.15.0"
        g.attrs["layer_names"] = [n.encode() for n in names]
        for layer, (lname, wnames) in zip(model.layers, names.items()):
            lg = g.create_group(lname)
            full = [f"{lname}/{w}:0" for w in wnames]
            lg.attrs["weight_names"] = [n.encode() for n in full]
            for n, v in zip(full, layer.get_weights()):
                lg.create_dataset(n, data=v)


def predict(file, x_json, out_json):
    x = np.array(json.load(open(x_json)), dtype="float32")
    m = keras.models.load_model(file)
    it = int(m.optimizer.iterations.numpy()) if m.optimizer is not None else None
    json.dump({"predictions": m.predict(x, verbose=0).tolist(), "iterations": it}, open(out_json, "w"))


def make_cnn004(out_file, x_json, out_json):
    keras.utils.set_random_seed(4)
    rng = np.random.default_rng(4)
    x = rng.random((4, 32, 32, 3), dtype=np.float32)
    m = cnn004()
    m.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy", metrics=["acc"])
    m.fit(x, np.arange(4) % 10, epochs=1, verbose=0)
    m.save(out_file)
    json.dump(x.tolist(), open(x_json, "w"))
    json.dump({"predictions": m.predict(x, verbose=0).tolist()}, open(out_json, "w"))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "fixtures"
    if cmd == "fixtures":
        fixtures()
    elif cmd == "predict":
        predict(*sys.argv[2:5])
    elif cmd == "cnn004":
        make_cnn004(*sys.argv[2:5])
    else:
        sys.exit(f"unknown command {cmd}")

"""Callback and Python-format fixtures for scripts/golden/generate.py (see there for how to run it)."""

import os

import numpy as np
import keras
from keras import layers, optimizers


# --- callbacks: scripted epochs, what Keras prints and decides ---------------------------------


def run_callback(cb, epochs, model=None, batches=None):
    """Drives a callback through scripted logs; returns printed lines, warnings and per-epoch state."""
    import contextlib
    import io
    import warnings

    model = model or tiny_model()
    cb.set_model(model)
    out = io.StringIO()
    trace = []
    with contextlib.redirect_stdout(out), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cb.on_train_begin()
        for epoch, logs in enumerate(epochs):
            model.set_weights([np.full(w.shape, epoch, dtype="float32") for w in model.get_weights()])
            cb.on_epoch_begin(epoch)
            for b, blogs in enumerate((batches or {}).get(epoch, [])):
                # JSON has no NaN/Infinity: the fixture spells them "nan"/"inf".
                cb.on_train_batch_end(b, {k: float(v) for k, v in blogs.items()})
            logs = dict(logs)
            cb.on_epoch_end(epoch, logs)
            trace.append(
                {
                    "stop_training": bool(model.stop_training),
                    "learning_rate": float(np.float32(model.optimizer.learning_rate.numpy())),
                    "logs": logs,
                }
            )
            if model.stop_training:
                break
        cb.on_train_end()
    return {
        "epochs": epochs,
        "batches": batches or {},
        "printed": out.getvalue(),
        "warnings": sorted({str(w.message) for w in caught if w.category is UserWarning and "__array__" not in str(w.message)}),
        "trace": trace,
        "final_weight_epoch": float(model.get_weights()[0].flat[0]),
    }


def tiny_model():
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    model.compile(optimizer=optimizers.SGD(learning_rate=0.001), loss="mse")
    return model


def callback_fixtures():
    import tempfile

    vl = lambda *xs: [{"loss": 1.0 - 0.1 * i, "val_loss": x} for i, x in enumerate(xs)]  # noqa: E731
    scenarios = []

    def add(name, options, result):
        scenarios.append({"name": name, "options": options, **result})

    add(
        "early_stopping_restore",
        {"class": "EarlyStopping", "monitor": "val_loss", "patience": 2, "verbose": 1, "restoreBestWeights": True},
        run_callback(
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, verbose=1, restore_best_weights=True),
            vl(0.5, 0.4, 0.45, 0.41, 0.39, 0.42, 0.43, 0.44, 0.2),
        ),
    )
    add(
        "early_stopping_min_delta",
        {"class": "EarlyStopping", "patience": 1, "minDelta": 0.05, "verbose": 1},
        run_callback(keras.callbacks.EarlyStopping(patience=1, min_delta=0.05, verbose=1), vl(0.5, 0.47, 0.44, 0.3)),
    )
    acc = [{"loss": 0.5, "val_accuracy": a} for a in (0.6, 0.7, 0.72, 0.71, 0.9, 0.95, 0.96, 0.97)]
    add(
        "early_stopping_baseline_max",
        {"class": "EarlyStopping", "monitor": "val_accuracy", "mode": "max", "baseline": 0.8, "patience": 3, "verbose": 1},
        run_callback(
            keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max", baseline=0.8, patience=3, verbose=1), acc
        ),
    )
    add(
        "early_stopping_start_from_epoch",
        {"class": "EarlyStopping", "patience": 0, "startFromEpoch": 3, "verbose": 1},
        run_callback(keras.callbacks.EarlyStopping(patience=0, start_from_epoch=3, verbose=1), vl(0.5, 0.6, 0.7, 0.8, 0.9)),
    )
    add(
        "early_stopping_missing_monitor",
        {"class": "EarlyStopping", "monitor": "val_loss", "verbose": 1},
        run_callback(keras.callbacks.EarlyStopping(monitor="val_loss", verbose=1), [{"loss": 0.5}, {"loss": 0.4}]),
    )
    with tempfile.TemporaryDirectory() as tmp:
        for best_only in (True, False):
            path = os.path.join(tmp, "model", "mnist-{epoch:02d}-{val_loss:.4f}.keras")
            result = run_callback(
                keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=best_only, verbose=1),
                vl(0.43524, 0.34579, 0.31477, 0.31478, 0.2612),
            )
            result["printed"] = result["printed"].replace(tmp + os.sep, "")
            result["saved"] = sorted(os.listdir(os.path.join(tmp, "model")))
            add(
                f"model_checkpoint_{'best_only' if best_only else 'every_epoch'}",
                {
                    "class": "ModelCheckpoint",
                    "filepath": "model/mnist-{epoch:02d}-{val_loss:.4f}.keras",
                    "saveBestOnly": best_only,
                    "verbose": 1,
                },
                result,
            )
            for f in os.listdir(os.path.join(tmp, "model")):
                os.remove(os.path.join(tmp, "model", f))
    add(
        "reduce_lr_on_plateau",
        {
            "class": "ReduceLROnPlateau",
            "monitor": "val_loss",
            "factor": 0.5,
            "patience": 1,
            "cooldown": 1,
            "minLr": 0.0002,
            "verbose": 1,
        },
        run_callback(
            keras.callbacks.ReduceLROnPlateau(
                monitor="val_loss", factor=0.5, patience=1, cooldown=1, min_lr=0.0002, verbose=1
            ),
            vl(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.5, 0.5),
        ),
    )
    add(
        "reduce_lr_default_factor",
        {"class": "ReduceLROnPlateau", "monitor": "loss", "patience": 0, "verbose": 1, "minDelta": 10},
        run_callback(
            keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0, verbose=1, min_delta=10),
            vl(0.5, 0.5, 0.5, 0.5, 0.5, 0.5),
        ),
    )
    add(
        "terminate_on_nan",
        {"class": "TerminateOnNaN"},
        run_callback(
            keras.callbacks.TerminateOnNaN(),
            vl(0.5, 0.5, 0.5),
            batches={1: [{"loss": 0.5}, {"loss": "nan"}, {"loss": "inf"}]},
        ),
    )
    return {"scenarios": scenarios}


# --- Python's str.format and float repr (ModelCheckpoint file names, messages) -------------------


def format_fixtures():
    values = {"epoch": 3, "val_loss": 0.314768, "loss": 1.25, "acc": 0.987654321, "tiny": 1.0000000474974513e-05,
              "big": 12345678.9, "neg": -0.0625, "half": 0.125, "two_half": 2.5, "lr": 0.00010000000474974513}
    templates = [
        "mnist-{epoch:02d}-{val_loss:.4f}.hdf5", "weights.{epoch:02d}-{val_loss:.2f}.hdf5", "{epoch}", "{epoch:3d}|",
        "{epoch:<4d}|", "{epoch:^5d}|", "{epoch:+d}", "{val_loss}", "{val_loss:.2e}", "{val_loss:.3E}", "{val_loss:g}",
        "{val_loss:.3g}", "{val_loss:.1%}", "{val_loss:10.4f}|", "{val_loss:<10.3f}|", "{val_loss:010.3f}",
        "{neg:.3f}", "{neg:08.2f}", "{neg:e}", "{half:.2f}", "{two_half:.0f}", "{loss:.0f}", "{tiny}", "{tiny:g}",
        "{tiny:.2e}", "{big}", "{big:,.1f}", "{big:g}", "{big:.3g}", "{acc:.4f}", "{lr}", "{acc}", "{loss}",
        "{{literal}}-{epoch:02d}", "ckpt_{epoch:04d}_{acc:.3f}_{loss:.1e}",
    ]
    cases = [{"template": t, "expected": t.format(**values)} for t in templates]
    reprs = [1.0, 0.1, 1e-4, 1e-5, 0.00010000000474974513, 1e16, 1.5e16, 123456789.125, -2.5, 0.0010000000474974513,
             3.0e-7, 1e22, 0.30000000000000004]
    return {"values": values, "ints": ["epoch"], "cases": cases,
            "repr": [{"value": v, "expected": repr(v)} for v in reprs]}

"""Python Keras 3 on TensorFlow (CPU) row of the benchmark: `npm run bench -- --keras`.

    .venv-keras/bin/python bench/keras_bench.py '<json: {lesson, epochs, trainSamples, valSamples, threads}>'

The lesson comes from bench/lessons.ts (as JSON); the data is bench/synthetic.ts' mulberry32 stream,
evaluated vectorised here, so both sides train on identical numbers. Prints one BENCH_RESULT JSON line.
"""
import json
import os
import resource
import sys
import time

job = json.loads(sys.argv[1])
threads = job.get("threads") or {}
if threads.get("intraOp"):
    os.environ["TF_NUM_INTRAOP_THREADS"] = str(threads["intraOp"])
if threads.get("interOp"):
    os.environ["TF_NUM_INTEROP_THREADS"] = str(threads["interOp"])
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

if threads.get("intraOp"):
    tf.config.threading.set_intra_op_parallelism_threads(threads["intraOp"])
if threads.get("interOp"):
    tf.config.threading.set_inter_op_parallelism_threads(threads["interOp"])


def uniforms(seed, n):
    """mulberry32 (src/random.ts), vectorised: state_k = seed + k * 0x6d2b79f5 (mod 2^32)."""
    k = np.arange(1, n + 1, dtype=np.uint64)
    a = ((np.uint64(seed) + k * np.uint64(0x6D2B79F5)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    t = a
    t = (t ^ (t >> np.uint32(15))) * (t | np.uint32(1))
    t = t ^ (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61)))
    out = (t ^ (t >> np.uint32(14))).astype(np.float64) / 4294967296.0
    return out.astype(np.float32)


def make_data(lesson, count, seed):
    size = int(np.prod(lesson["inputShape"]))
    x = uniforms(seed, count * size).reshape([count] + lesson["inputShape"])
    ids = np.minimum(lesson["classes"] - 1, np.floor(uniforms(seed + 1, count).astype(np.float64) * lesson["classes"])).astype(np.int32)
    if lesson["loss"] == "sparse_categorical_crossentropy":
        return x, ids
    return x, np.eye(lesson["classes"], dtype=np.float32)[ids]


def build(lesson):
    layers = [keras.Input(shape=tuple(lesson["inputShape"]))]
    for l in lesson["layers"]:
        t = l["type"]
        if t == "dense":
            layers.append(keras.layers.Dense(l["units"], activation=l.get("activation") or None))
        elif t == "activation":
            layers.append(keras.layers.Activation(l["activation"]))
        elif t == "dropout":
            layers.append(keras.layers.Dropout(l["rate"]))
        elif t == "batchnorm":
            layers.append(keras.layers.BatchNormalization())
        elif t == "conv2d":
            layers.append(keras.layers.Conv2D(l["filters"], l["kernel"], padding="same", activation=l["activation"]))
        elif t == "maxpool2d":
            layers.append(keras.layers.MaxPool2D(pool_size=2, strides=2, padding="same"))
        elif t == "flatten":
            layers.append(keras.layers.Flatten())
    model = keras.Sequential(layers)
    opt = lesson["optimizer"]
    optimizer = keras.optimizers.SGD(opt["learningRate"]) if opt["name"] == "sgd" else keras.optimizers.Adam(opt["learningRate"])
    model.compile(optimizer=optimizer, loss=lesson["loss"], metrics=["accuracy"])
    return model


class Timer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.times = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.start)


def main():
    lesson = job["lesson"]
    keras.utils.set_random_seed(1234)
    x, y = make_data(lesson, job["trainSamples"], 1)
    val = make_data(lesson, job["valSamples"], 2) if job["valSamples"] > 0 else None
    model = build(lesson)
    timer = Timer()
    hist = model.fit(x, y, batch_size=lesson["batchSize"], epochs=job["epochs"], validation_data=val, shuffle=True, verbose=0, callbacks=[timer])
    h = hist.history
    result = {
        "epochSeconds": timer.times,
        "loss": float(h["loss"][-1]),
        "accuracy": float(h["accuracy"][-1]),
        "valLoss": float(h["val_loss"][-1]) if "val_loss" in h else None,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "tensorsAfterFit": None,
        "note": f"keras {keras.__version__}, tensorflow {tf.__version__}",
    }
    print("BENCH_RESULT " + json.dumps(result), flush=True)


main()

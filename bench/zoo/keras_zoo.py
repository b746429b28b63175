"""Keras 3 side of the zoo benchmark: `python bench/zoo/keras_zoo.py '<json job>'` → one ZOO_RESULT line.

The job carries the model's Keras code (bench/zoo/models.ts `keras`), input shape, label kind, sizes."""
import json
import os
import resource
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402,F401

job = json.loads(sys.argv[1])
rng = np.random.default_rng(1)
n = job["samples"]
if job.get("inputInt"):
    x = rng.integers(0, job["inputInt"], [n] + job["input"]).astype(np.int32)
elif job.get("inputMultiHot"):
    x = (rng.random([n] + job["input"], dtype=np.float32) < job["inputMultiHot"]).astype(np.float32)
else:
    x = rng.random([n] + job["input"], dtype=np.float32)
kind, width = job["labels"]["kind"], job["labels"]["width"]
if kind == "regression":
    y = rng.standard_normal([n, width]).astype(np.float32)
elif kind == "binary":
    y = (rng.random([n, 1]) > 0.5).astype(np.float32)
else:
    y = rng.integers(0, width, n).astype(np.int32)
scope = {"keras": keras, "layers": layers}
exec(job["keras"], scope)
model = scope["model"]
times = []


class Timer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.t = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        times.append(time.perf_counter() - self.t)


extra = eval("dict(" + job.get("fitExtra", "") + ")")
model.fit(x, y, batch_size=job["batchSize"], epochs=job["epochs"], verbose=0, callbacks=[Timer()], **extra)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("ZOO_RESULT " + json.dumps({"trainer": "keras", "times": times, "rssMB": rss}))

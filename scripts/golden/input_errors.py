"""Golden fixture of what Keras 3 says (or does) when a model is fed the wrong thing
(test/fixtures/golden/input_errors.json, checked by test/unit/golden-input-errors.test.ts).

    .venv-keras/bin/python scripts/golden/input_errors.py

- "messages": the error text Keras 3 raises for a tensor of the wrong rank (recurrent, convolution, pooling,
  Dense), a merge of mismatched shapes, and a functional model called or fed with the wrong number of inputs
  or a dict without one of them. Every layer and model is named, so the names in the messages are fixed.
- "computed": what Keras does without complaint: float ids into an Embedding (cast to int32, so truncated),
  integer values into a Dense layer (cast to float32), Flatten on a (batch, features) tensor.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import tolist, write  # noqa: E402

RNG = np.random.RandomState(20250301)


def arr(*shape, scale=1.0):
    return np.round(RNG.uniform(-1, 1, size=shape) * scale, 4).astype("float32")


def message(fn):
    try:
        fn()
    except Exception as error:  # noqa: BLE001 - the message is the fixture
        return str(error)
    raise AssertionError("expected an error")


def two_input_model():
    a = keras.Input(shape=(3,), name="a")
    b = keras.Input(shape=(2,), name="b")
    out = layers.Dense(1, name="out")(layers.Concatenate(name="concat")([a, b]))
    return keras.Model([a, b], out, name="two")


def one_input_model():
    a = keras.Input(shape=(3,), name="a")
    return keras.Model(a, layers.Dense(1, name="out")(a), name="one")


def messages():
    def dense_built_for_784():
        dense = layers.Dense(4, name="dense")
        dense(keras.Input(shape=(784,)))
        dense(keras.Input(shape=(28, 28)))

    two, one = two_input_model(), one_input_model()
    x3, x2 = np.zeros((2, 3), "float32"), np.zeros((2, 2), "float32")
    return {
        "lstm_2d": message(lambda: layers.LSTM(8, name="lstm")(keras.Input(shape=(10,)))),
        "gru_4d": message(lambda: layers.GRU(8, name="gru")(keras.Input(shape=(3, 4, 5)))),
        "conv1d_2d": message(lambda: layers.Conv1D(8, 3, name="conv1d")(keras.Input(shape=(10,)))),
        "conv2d_3d": message(lambda: layers.Conv2D(8, 3, name="conv2d")(keras.Input(shape=(28, 28)))),
        "conv2d_2d": message(lambda: layers.Conv2D(8, 3, name="conv2d_flat")(keras.Input(shape=(784,)))),
        "maxpool2d_3d": message(lambda: layers.MaxPooling2D(name="pool")(keras.Input(shape=(28, 28)))),
        "dense_1d": message(lambda: layers.Dense(4, name="dense_1d")(keras.Input(shape=()))),
        "dense_axis": message(dense_built_for_784),
        "add_3_4": message(lambda: layers.Add(name="add")([keras.Input(shape=(3,)), keras.Input(shape=(4,))])),
        "concatenate": message(
            lambda: layers.Concatenate(name="cat")([keras.Input(shape=(3, 5)), keras.Input(shape=(4, 6))])
        ),
        "add_not_list": message(lambda: layers.Add(name="add1")(keras.Input(shape=(3,)))),
        "call_two_with_one": message(lambda: two(keras.Input(shape=(3,)))),
        "call_one_with_two": message(lambda: one([keras.Input(shape=(3,)), keras.Input(shape=(3,))])),
        "predict_two_with_one": message(lambda: two.predict(x3, verbose=0)),
        "predict_two_with_three": message(lambda: two.predict([x3, x2, x2], verbose=0)),
        "predict_one_with_two": message(lambda: one.predict([x3, x3], verbose=0)),
        "predict_dict_missing": message(lambda: two.predict({"a": x3}, verbose=0)),
    }


def computed():
    table = arr(10, 3)
    ids = np.array([[1.7, 2.2, 0.4, 9.9]], "float32")
    embedding = keras.Sequential([keras.Input(shape=(4,)), layers.Embedding(10, 3, name="emb")])
    embedding.get_layer("emb").set_weights([table])
    kernel, bias = arr(3, 2), arr(2)
    values = np.array([[1, 20, 300], [4, 5, 6]], "int32")
    dense = keras.Sequential([keras.Input(shape=(3,), dtype="int32"), layers.Dense(2, name="d")])
    dense.get_layer("d").set_weights([kernel, bias])
    flatten = keras.Sequential([keras.Input(shape=(10,)), layers.Flatten()])
    return {
        "float_ids_into_embedding": {
            "table": tolist(table),
            "ids": tolist(ids),
            "output": tolist(embedding.predict(ids, verbose=0)),
        },
        "int_values_into_dense": {
            "kernel": tolist(kernel),
            "bias": tolist(bias),
            "x": values.tolist(),
            "output": tolist(dense.predict(values, verbose=0)),
        },
        "flatten_2d_output_shape": [None if d is None else int(d) for d in flatten.output_shape],
    }


def main():
    write("input_errors.json", {"generator": "scripts/golden/input_errors.py", "messages": messages(), "computed": computed()})
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Golden fixtures for the layers of issue #13 (RNNs, Embedding, wrappers, convolutions, pooling,
normalization, reshaping) from Python Keras 3, into test/fixtures/golden/layers-more.json.

    .venv-keras/bin/python scripts/golden/layers_more.py

Each case is a small Sequential model: Keras' parameter counts and output shapes per layer, the model's
output for a fixed input with fixed weights (both written into the fixture), and for a few models the
weights after one SGD step. `ts` is the same model in tslab-keras: [factory, ...args] per layer, where
an argument that is itself such a list is a layer (Bidirectional(LSTM(…))).
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers as L  # noqa: E402

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import compact_json, tolist  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "golden")
RNG = np.random.RandomState(20261201)


def arr(*shape, scale=1.0):
    return np.round(RNG.uniform(-1, 1, size=shape) * scale, 4).astype("float32")


def ints(*shape, high=10):
    x = RNG.randint(1, high, size=shape)
    return x.astype("int32")


# (name, input shape, input kind, keras layers (a function), ts spec)
CASES = [
    ("embedding", (5,), "int", lambda: [L.Embedding(10, 3)], [["Embedding", 10, 3]]),
    ("simple_rnn", (5, 3), "float", lambda: [L.SimpleRNN(4)], [["SimpleRNN", 4]]),
    (
        "simple_rnn_sequences_backwards",
        (5, 3),
        "float",
        lambda: [L.SimpleRNN(4, return_sequences=True, go_backwards=True, activation="relu")],
        [["SimpleRNN", 4, {"returnSequences": True, "goBackwards": True, "activation": "relu"}]],
    ),
    ("lstm", (5, 3), "float", lambda: [L.LSTM(4)], [["LSTM", 4]]),
    ("lstm_sequences", (5, 3), "float", lambda: [L.LSTM(3, return_sequences=True)], [["LSTM", 3, {"return_sequences": True}]]),
    ("gru", (5, 3), "float", lambda: [L.GRU(4)], [["GRU", 4]]),
    (
        "gru_reset_before",
        (5, 3),
        "float",
        lambda: [L.GRU(3, reset_after=False, return_sequences=True)],
        [["GRU", 3, {"resetAfter": False, "returnSequences": True}]],
    ),
    (
        "bidirectional_lstm",
        (5, 3),
        "float",
        lambda: [L.Bidirectional(L.LSTM(3, return_sequences=True))],
        [["Bidirectional", ["LSTM", 3, {"returnSequences": True}]]],
    ),
    (
        "bidirectional_gru_sum",
        (5, 3),
        "float",
        lambda: [L.Bidirectional(L.GRU(2), merge_mode="sum")],
        [["Bidirectional", ["GRU", 2], {"mergeMode": "sum"}]],
    ),
    ("time_distributed_dense", (5, 3), "float", lambda: [L.TimeDistributed(L.Dense(2))], [["TimeDistributed", ["Dense", 2]]]),
    (
        "embedding_mask_lstm",
        (6,),
        "int_padded",
        lambda: [L.Embedding(10, 3, mask_zero=True), L.LSTM(4, return_sequences=True), L.LSTM(2)],
        [["Embedding", 10, 3, {"maskZero": True}], ["LSTM", 4, {"returnSequences": True}], ["LSTM", 2]],
    ),
    (
        "embedding_mask_bidirectional_gru",
        (6,),
        "int_padded",
        lambda: [L.Embedding(10, 3, mask_zero=True), L.Bidirectional(L.GRU(2, return_sequences=True)), L.GlobalAveragePooling1D()],
        [["Embedding", 10, 3, {"maskZero": True}], ["Bidirectional", ["GRU", 2, {"returnSequences": True}]], ["GlobalAveragePooling1D"]],
    ),
    (
        "embedding_mask_global_average",
        (6,),
        "int_padded",
        lambda: [L.Embedding(10, 3, mask_zero=True), L.GlobalAveragePooling1D()],
        [["Embedding", 10, 3, {"maskZero": True}], ["GlobalAveragePooling1D"]],
    ),
    (
        "embedding_mask_through_dense",
        (6,),
        "int_padded",
        lambda: [L.Embedding(10, 3, mask_zero=True), L.Dense(3, activation="relu"), L.SimpleRNN(2)],
        [["Embedding", 10, 3, {"maskZero": True}], ["Dense", 3, {"activation": "relu"}], ["SimpleRNN", 2]],
    ),
    ("conv1d", (8, 2), "float", lambda: [L.Conv1D(4, 3, activation="relu")], [["Conv1D", 4, 3, {"activation": "relu"}]]),
    (
        "conv1d_causal_dilated",
        (8, 2),
        "float",
        lambda: [L.Conv1D(2, 3, padding="causal", dilation_rate=2)],
        [["Conv1D", 2, 3, {"padding": "causal", "dilationRate": 2}]],
    ),
    (
        "conv1d_same_strided",
        (8, 2),
        "float",
        lambda: [L.Conv1D(3, 3, strides=2, padding="same")],
        [["Conv1D", 3, 3, {"strides": 2, "padding": "same"}]],
    ),
    ("conv2d_dilated", (7, 7, 2), "float", lambda: [L.Conv2D(2, 3, dilation_rate=2)], [["Conv2D", 2, 3, {"dilationRate": 2}]]),
    (
        "conv2d_transpose_same",
        (4, 4, 3),
        "float",
        lambda: [L.Conv2DTranspose(2, 3, strides=2, padding="same")],
        [["Conv2DTranspose", 2, 3, {"strides": 2, "padding": "same"}]],
    ),
    ("conv2d_transpose_valid", (3, 3, 2), "float", lambda: [L.Conv2DTranspose(2, 2)], [["Conv2DTranspose", 2, 2]]),
    (
        "separable_conv2d",
        (6, 6, 2),
        "float",
        lambda: [L.SeparableConv2D(3, 3, depth_multiplier=2)],
        [["SeparableConv2D", 3, 3, {"depthMultiplier": 2}]],
    ),
    ("max_pooling1d", (7, 3), "float", lambda: [L.MaxPooling1D(2)], [["MaxPooling1D", 2]]),
    (
        "average_pooling1d_same",
        (7, 3),
        "float",
        lambda: [L.AveragePooling1D(3, strides=2, padding="same")],
        [["AveragePooling1D", 3, {"strides": 2, "padding": "same"}]],
    ),
    ("average_pooling2d", (5, 5, 2), "float", lambda: [L.AveragePooling2D(2)], [["AveragePooling2D", 2]]),
    (
        "average_pooling2d_same",
        (5, 5, 2),
        "float",
        lambda: [L.AveragePooling2D(3, strides=2, padding="same")],
        [["AveragePooling2D", 3, {"strides": 2, "padding": "same"}]],
    ),
    ("global_average_pooling1d", (5, 3), "float", lambda: [L.GlobalAveragePooling1D()], [["GlobalAveragePooling1D"]]),
    ("global_max_pooling1d_keepdims", (5, 3), "float", lambda: [L.GlobalMaxPooling1D(keepdims=True)], [["GlobalMaxPooling1D", {"keepdims": True}]]),
    ("global_average_pooling2d_keepdims", (4, 4, 2), "float", lambda: [L.GlobalAveragePooling2D(keepdims=True)], [["GlobalAveragePooling2D", {"keepdims": True}]]),
    ("global_max_pooling2d", (4, 4, 2), "float", lambda: [L.GlobalMaxPooling2D()], [["GlobalMaxPooling2D"]]),
    ("up_sampling2d", (3, 3, 2), "float", lambda: [L.UpSampling2D((2, 3))], [["UpSampling2D", [2, 3]]]),
    ("zero_padding2d", (3, 3, 2), "float", lambda: [L.ZeroPadding2D(((1, 2), (0, 1)))], [["ZeroPadding2D", [[1, 2], [0, 1]]]]),
    ("cropping2d", (5, 6, 2), "float", lambda: [L.Cropping2D(((1, 0), (1, 2)))], [["Cropping2D", [[1, 0], [1, 2]]]]),
    ("layer_normalization", (4, 5), "float", lambda: [L.LayerNormalization()], [["LayerNormalization"]]),
    ("rescaling", (3, 2), "float", lambda: [L.Rescaling(1 / 127.5, offset=-1)], [["Rescaling", 1 / 127.5, {"offset": -1}]]),
    (
        "normalization_given",
        (3,),
        "float",
        lambda: [L.Normalization(mean=[0.5, -1.0, 2.0], variance=[4.0, 0.25, 1.0])],
        [["Normalization", {"mean": [0.5, -1.0, 2.0], "variance": [4.0, 0.25, 1.0]}]],
    ),
    (
        "normalization_invert",
        (3,),
        "float",
        lambda: [L.Normalization(mean=[0.5, -1.0, 2.0], variance=[4.0, 0.25, 1.0], invert=True)],
        [["Normalization", {"mean": [0.5, -1.0, 2.0], "variance": [4.0, 0.25, 1.0], "invert": True}]],
    ),
    ("permute", (3, 4), "float", lambda: [L.Permute((2, 1))], [["Permute", [2, 1]]]),
    ("repeat_vector", (4,), "float", lambda: [L.RepeatVector(3)], [["RepeatVector", 3]]),
    ("gaussian_noise_inference", (4,), "float", lambda: [L.GaussianNoise(0.5)], [["GaussianNoise", 0.5]]),
    ("spatial_dropout1d_inference", (4, 3), "float", lambda: [L.SpatialDropout1D(0.5)], [["SpatialDropout1D", 0.5]]),
    ("spatial_dropout2d_inference", (3, 3, 2), "float", lambda: [L.SpatialDropout2D(0.5)], [["SpatialDropout2D", 0.5]]),
    (
        "augmentation_inference",
        (4, 4, 1),
        "float",
        lambda: [L.RandomFlip(), L.RandomRotation(0.2), L.RandomZoom(0.2), L.RandomTranslation(0.1, 0.1)],
        [["RandomFlip"], ["RandomRotation", 0.2], ["RandomZoom", 0.2], ["RandomTranslation", 0.1, 0.1]],
    ),
]

# Models trained one SGD step (batch = all samples): (name, input shape, kind, layers, ts, loss, output units)
TRAIN_CASES = [
    (
        "embedding_lstm_dense",
        (6,),
        "int_padded",
        lambda: [L.Embedding(10, 3, mask_zero=True), L.LSTM(4), L.Dense(1)],
        [["Embedding", 10, 3, {"maskZero": True}], ["LSTM", 4], ["Dense", 1]],
    ),
    (
        "gru_dense",
        (5, 3),
        "float",
        lambda: [L.GRU(3, return_sequences=True), L.GlobalMaxPooling1D(), L.Dense(1)],
        [["GRU", 3, {"returnSequences": True}], ["GlobalMaxPooling1D"], ["Dense", 1]],
    ),
    (
        "bidirectional_simple_rnn",
        (5, 3),
        "float",
        lambda: [L.Bidirectional(L.SimpleRNN(2)), L.Dense(1)],
        [["Bidirectional", ["SimpleRNN", 2]], ["Dense", 1]],
    ),
    (
        "conv1d_pool_dense",
        (8, 2),
        "float",
        lambda: [L.Conv1D(3, 3, activation="relu"), L.MaxPooling1D(2), L.LayerNormalization(), L.GlobalAveragePooling1D(), L.Dense(1)],
        [["Conv1D", 3, 3, {"activation": "relu"}], ["MaxPooling1D", 2], ["LayerNormalization"], ["GlobalAveragePooling1D"], ["Dense", 1]],
    ),
    (
        "conv2d_transpose_separable",
        (4, 4, 2),
        "float",
        lambda: [L.SeparableConv2D(2, 3, padding="same"), L.Conv2DTranspose(2, 2, strides=2), L.GlobalAveragePooling2D(), L.Dense(1)],
        [["SeparableConv2D", 2, 3, {"padding": "same"}], ["Conv2DTranspose", 2, 2, {"strides": 2}], ["GlobalAveragePooling2D"], ["Dense", 1]],
    ),
]


def make_input(shape, kind, n=3):
    if kind == "int":
        return ints(n, *shape)
    if kind == "int_padded":
        x = ints(n, *shape)
        for i in range(n):  # trailing zeros (padding) of different lengths, one row unpadded
            x[i, shape[0] - i:] = 0 if i > 0 else x[i, shape[0] - i:]
        x[1, 0] = 0  # a masked step in the middle of the sequence too
        return x
    return arr(n, *shape)


def fixed_weights(model):
    ws = []
    for w in model.weights:
        if w.path.endswith("count"):
            ws.append(np.asarray(w.numpy()))
        else:
            ws.append(arr(*w.shape, scale=0.6))
    model.set_weights(ws)
    return ws


def describe(model):
    out = []
    for layer in model.layers:
        shape = layer.output.shape if not isinstance(layer.output, (list, tuple)) else layer.output[0].shape
        out.append({
            "name": layer.name,
            "class": layer.__class__.__name__,
            "params": int(layer.count_params()),
            "output_shape": [d if d is not None else None for d in shape],
        })
    return out


def case_fixture(name, shape, kind, build, ts):
    keras.utils.clear_session()
    model = keras.Sequential([keras.Input(shape), *build()])
    ws = fixed_weights(model)
    x = make_input(shape, kind)
    y = model.predict(x, verbose=0)
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    non_trainable = int(sum(np.prod(w.shape) for w in model.non_trainable_weights))
    return {
        "name": name,
        "ts": ts,
        "input_shape": list(shape),
        "layers": describe(model),
        "trainable": trainable,
        "non_trainable": non_trainable,
        "weight_shapes": [list(w.shape) for w in ws],
        "weights": [tolist(w.reshape(-1)) for w in ws],
        "x": x.tolist() if kind.startswith("int") else tolist(x),
        "y": tolist(y),
    }


def train_fixture(name, shape, kind, build, ts):
    keras.utils.clear_session()
    model = keras.Sequential([keras.Input(shape), *build()])
    ws = fixed_weights(model)
    x = make_input(shape, kind, n=4)
    y = arr(4, 1)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="mse")
    history = model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    return {
        "name": name,
        "ts": ts,
        "input_shape": list(shape),
        "learning_rate": 0.5,
        "loss_name": "mse",
        "weights": [tolist(w.reshape(-1)) for w in ws],
        "x": x.tolist() if kind.startswith("int") else tolist(x),
        "y": tolist(y),
        "loss": float(history.history["loss"][0]),
        "weights_after": [tolist(np.asarray(w).reshape(-1)) for w in model.get_weights()],
    }


def normalization_adapt_fixture():
    keras.utils.clear_session()
    data = arr(50, 3, scale=5.0) + np.array([10.0, -3.0, 0.5], dtype="float32")
    layer = L.Normalization()
    layer.adapt(data)
    x = arr(4, 3, scale=5.0)
    per_axis_data = arr(20, 2, 3)
    layer2 = L.Normalization(axis=(1, 2))
    layer2.adapt(per_axis_data)
    global_layer = L.Normalization(axis=None)
    global_layer.adapt(data)
    return {
        "data": tolist(data),
        "mean": tolist(layer.mean.numpy().reshape(-1)),
        "variance": tolist(layer.variance.numpy().reshape(-1)),
        "x": tolist(x),
        "y": tolist(layer(x)),
        "per_axis_data": tolist(per_axis_data),
        "per_axis_mean": tolist(layer2.mean.numpy().reshape(-1)),
        "per_axis_variance": tolist(layer2.variance.numpy().reshape(-1)),
        "global_mean": tolist(global_layer.mean.numpy().reshape(-1)),
        "global_variance": tolist(global_layer.variance.numpy().reshape(-1)),
        "params": int(layer.count_params()),
    }


# Augmentation with a one-point factor range ([a, a]) is deterministic: Keras' transform in training.
AUGMENT_CASES = [
    ("rotation_45", lambda: L.RandomRotation((0.125, 0.125)), ["RandomRotation", [0.125, 0.125]]),
    (
        "rotation_minus_30_constant_nearest",
        lambda: L.RandomRotation((-1 / 12, -1 / 12), fill_mode="constant", interpolation="nearest", fill_value=0.5),
        ["RandomRotation", [-1 / 12, -1 / 12], {"fillMode": "constant", "interpolation": "nearest", "fillValue": 0.5}],
    ),
    ("zoom_out", lambda: L.RandomZoom((0.5, 0.5)), ["RandomZoom", [0.5, 0.5]]),
    (
        "zoom_in_width_nearest_fill",
        lambda: L.RandomZoom((-0.3, -0.3), width_factor=(0.2, 0.2), fill_mode="nearest"),
        ["RandomZoom", [-0.3, -0.3], {"widthFactor": [0.2, 0.2], "fillMode": "nearest"}],
    ),
    (
        "translation_wrap",
        lambda: L.RandomTranslation((0.25, 0.25), (-0.5, -0.5), fill_mode="wrap"),
        ["RandomTranslation", [0.25, 0.25], [-0.5, -0.5], {"fillMode": "wrap"}],
    ),
    ("translation_reflect", lambda: L.RandomTranslation((-0.34, -0.34), (0.2, 0.2)), ["RandomTranslation", [-0.34, -0.34], [0.2, 0.2]]),
]


def augment_fixtures():
    x = np.round(RNG.uniform(0, 1, size=(2, 6, 5, 2)), 4).astype("float32")
    out = []
    for name, build, ts in AUGMENT_CASES:
        layer = build()
        out.append({"name": name, "ts": ts, "x": tolist(x), "y": tolist(layer(x, training=True))})
    return out


def main():
    data = {
        "generator": "scripts/golden/layers_more.py",
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "cases": [case_fixture(*c) for c in CASES],
        "training": [train_fixture(*c) for c in TRAIN_CASES],
        "normalization_adapt": normalization_adapt_fixture(),
        "augmentation": augment_fixtures(),
    }
    path = os.path.join(OUT, "layers-more.json")
    with open(path, "w") as f:
        f.write(compact_json(data) + "\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()

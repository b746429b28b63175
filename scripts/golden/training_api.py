"""Golden fixtures for the training API (losses, metrics, optimizers, schedules, fit options) from Keras 3.

    .venv-keras/bin/python scripts/golden/training_api.py

Writes test/fixtures/golden/{losses,metrics,schedules,optimizers_more,fit_options}.json with the same
conventions as generate.py: 4-decimal float32 inputs next to Keras' results (8 decimals).
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import losses, metrics, optimizers  # noqa: E402
from keras.src.losses.losses import LossFunctionWrapper  # noqa: E402

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import GRADS, W0, compact_json, tolist  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "golden")
RNG = np.random.RandomState(20251201)


def uniform(*shape, lo=-1.0, hi=1.0):
    return np.round(RNG.uniform(lo, hi, size=shape), 4).astype("float32")


def one_hot(ids, n):
    return np.eye(n, dtype="float32")[ids]


def softmax_rows(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return np.round(e / e.sum(-1, keepdims=True), 4).astype("float32")


def write(name, data):
    import json  # noqa: F401

    data = {"generator": "scripts/golden/training_api.py", "keras": keras.__version__, "tensorflow": tf.__version__, **data}
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        f.write(compact_json(data) + "\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


def f(x):
    return tolist(np.asarray(x))


# --- losses ---------------------------------------------------------------------------------------

def loss_inputs():
    ids = np.array([0, 2, 1, 2, 1], dtype="int32")
    probs = softmax_rows(uniform(5, 3, lo=-2, hi=2))
    return {
        "binary_true": RNG.randint(0, 2, size=(5, 3)).astype("float32"),
        "binary_prob": uniform(5, 3, lo=0.02, hi=0.98),
        "logits": uniform(5, 3, lo=-3, hi=3),
        "onehot": one_hot(ids, 3),
        "probs": probs,
        "sparse": ids.astype("float32"),
        "sparse_col": ids.reshape(5, 1).astype("float32"),
        "reg_true": uniform(5, 3, lo=0.1, hi=3),
        "reg_pred": uniform(5, 3, lo=-0.5, hi=3.5),
        "pm1_true": (RNG.randint(0, 2, size=(5, 3)) * 2 - 1).astype("float32"),
        "col_true": uniform(5, 1, lo=0, hi=2),
        "col_pred": uniform(5, 1, lo=0, hi=2),
        "flat_true": uniform(5, lo=0, hi=2),
        "sample_weight": np.array([1.0, 0.5, 2.0, 0.0, 1.5], dtype="float32"),
    }


# (case, Keras class, Keras kwargs, our options, y_true key, y_pred key)
LOSS_CASES = [
    ("bce", "BinaryCrossentropy", {}, {}, "binary_true", "binary_prob"),
    ("bce_logits", "BinaryCrossentropy", {"from_logits": True}, {"fromLogits": True}, "binary_true", "logits"),
    ("bce_smooth", "BinaryCrossentropy", {"label_smoothing": 0.2}, {"labelSmoothing": 0.2}, "binary_true", "binary_prob"),
    ("bce_logits_smooth", "BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1},
     {"fromLogits": True, "labelSmoothing": 0.1}, "binary_true", "logits"),
    ("cce", "CategoricalCrossentropy", {}, {}, "onehot", "probs"),
    ("cce_logits", "CategoricalCrossentropy", {"from_logits": True}, {"fromLogits": True}, "onehot", "logits"),
    ("cce_smooth", "CategoricalCrossentropy", {"label_smoothing": 0.1}, {"labelSmoothing": 0.1}, "onehot", "probs"),
    ("cce_logits_smooth", "CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.3},
     {"fromLogits": True, "labelSmoothing": 0.3}, "onehot", "logits"),
    ("scce", "SparseCategoricalCrossentropy", {}, {}, "sparse", "probs"),
    ("scce_col", "SparseCategoricalCrossentropy", {}, {}, "sparse_col", "probs"),
    ("scce_logits", "SparseCategoricalCrossentropy", {"from_logits": True}, {"fromLogits": True}, "sparse", "logits"),
    ("mse", "MeanSquaredError", {}, {}, "reg_true", "reg_pred"),
    ("mae", "MeanAbsoluteError", {}, {}, "reg_true", "reg_pred"),
    ("mape", "MeanAbsolutePercentageError", {}, {}, "reg_true", "reg_pred"),
    ("msle", "MeanSquaredLogarithmicError", {}, {}, "reg_true", "reg_pred"),
    ("huber", "Huber", {}, {}, "reg_true", "reg_pred"),
    ("huber_delta", "Huber", {"delta": 0.5}, {"delta": 0.5}, "reg_true", "reg_pred"),
    ("log_cosh", "LogCosh", {}, {}, "reg_true", "reg_pred"),
    ("kld", "KLDivergence", {}, {}, "onehot", "probs"),
    ("kld_soft", "KLDivergence", {}, {}, "binary_prob", "probs"),
    ("poisson", "Poisson", {}, {}, "reg_true", "binary_prob"),
    ("hinge_01", "Hinge", {}, {}, "binary_true", "logits"),
    ("hinge_pm1", "Hinge", {}, {}, "pm1_true", "logits"),
    ("squared_hinge", "SquaredHinge", {}, {}, "binary_true", "logits"),
    ("categorical_hinge", "CategoricalHinge", {}, {}, "onehot", "logits"),
    ("mse_col_vs_flat", "MeanSquaredError", {}, {}, "flat_true", "col_pred"),
    ("mae_col", "MeanAbsoluteError", {}, {}, "col_true", "col_pred"),
    ("mse_sum", "MeanSquaredError", {"reduction": "sum"}, {"reduction": "sum"}, "reg_true", "reg_pred"),
    ("mse_mean_sw", "MeanSquaredError", {"reduction": "mean_with_sample_weight"},
     {"reduction": "mean_with_sample_weight"}, "reg_true", "reg_pred"),
]

FUNCTIONS = {
    "BinaryCrossentropy": "binary_crossentropy",
    "CategoricalCrossentropy": "categorical_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "MeanSquaredError": "mean_squared_error",
    "MeanAbsoluteError": "mean_absolute_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
    "Huber": "huber",
    "LogCosh": "log_cosh",
    "KLDivergence": "kl_divergence",
    "Poisson": "poisson",
    "Hinge": "hinge",
    "SquaredHinge": "squared_hinge",
    "CategoricalHinge": "categorical_hinge",
}


def loss_fixtures():
    inputs = loss_inputs()
    sw = inputs["sample_weight"]
    cases = []
    for name, cls, kwargs, ours, t, p in LOSS_CASES:
        loss = getattr(losses, cls)(**kwargs)
        yt, yp = inputs[t], inputs[p]
        per_sample = getattr(losses, cls)(**{**kwargs, "reduction": None})(yt, yp)
        cases.append({
            "name": name,
            "class": cls,
            "options": ours,
            "y_true": t,
            "y_pred": p,
            "config_name": loss.get_config()["name"],
            "per_sample": f(per_sample),
            "value": float(loss(yt, yp)),
            "weighted": float(loss(yt, yp, sample_weight=sw)),
        })
    # losses.get for every name and alias the library accepts: the value of the function on fixed inputs.
    aliases = []
    for alias, (t, p) in {
        "mse": ("reg_true", "reg_pred"), "MSE": ("reg_true", "reg_pred"), "mae": ("reg_true", "reg_pred"),
        "mape": ("reg_true", "reg_pred"), "msle": ("reg_true", "reg_pred"), "kld": ("onehot", "probs"),
        "bce": ("binary_true", "binary_prob"), "huber": ("reg_true", "reg_pred"), "log_cosh": ("reg_true", "reg_pred"),
        "hinge": ("binary_true", "logits"), "squared_hinge": ("binary_true", "logits"),
        "categorical_hinge": ("onehot", "logits"), "kl_divergence": ("onehot", "probs"),
        "poisson": ("reg_true", "binary_prob"), "binary_crossentropy": ("binary_true", "binary_prob"),
        "categorical_crossentropy": ("onehot", "probs"), "sparse_categorical_crossentropy": ("sparse", "probs"),
        "Huber": ("reg_true", "reg_pred"), "LogCosh": ("reg_true", "reg_pred"),
    }.items():
        fn = losses.get(alias)
        if not isinstance(fn, losses.Loss):
            fn = LossFunctionWrapper(fn)
        aliases.append({"alias": alias, "y_true": t, "y_pred": p, "value": float(fn(inputs[t], inputs[p]))})
    return {"inputs": {k: f(v) for k, v in inputs.items()}, "cases": cases, "aliases": aliases}


# --- metrics: results after each of several batches ---------------------------------------------

def metric_batches():
    sizes = [4, 6, 3]
    out = []
    for n in sizes:
        ids = RNG.randint(0, 4, size=n)
        out.append({
            "binary_true": RNG.randint(0, 2, size=(n, 1)).astype("float32"),
            "binary_prob": uniform(n, 1, lo=0.0, hi=1.0),
            "onehot": one_hot(ids, 4),
            "sparse": ids.astype("float32"),
            "probs": softmax_rows(uniform(n, 4, lo=-2, hi=2)),
            "reg_true": uniform(n, 2, lo=0.1, hi=3),
            "reg_pred": uniform(n, 2, lo=-0.5, hi=3.5),
            "multi_true": RNG.randint(0, 2, size=(n, 4)).astype("float32"),
            "sample_weight": np.round(RNG.uniform(0, 2, size=n), 2).astype("float32"),
        })
    return out


METRIC_CASES = [
    ("binary_accuracy", "BinaryAccuracy", {}, {}, "binary_true", "binary_prob"),
    ("binary_accuracy_t", "BinaryAccuracy", {"threshold": 0.3}, {"threshold": 0.3}, "binary_true", "binary_prob"),
    ("categorical_accuracy", "CategoricalAccuracy", {}, {}, "onehot", "probs"),
    ("sparse_categorical_accuracy", "SparseCategoricalAccuracy", {}, {}, "sparse", "probs"),
    ("top_k", "TopKCategoricalAccuracy", {"k": 2}, {"k": 2}, "onehot", "probs"),
    ("sparse_top_k", "SparseTopKCategoricalAccuracy", {"k": 2}, {"k": 2}, "sparse", "probs"),
    ("mse", "MeanSquaredError", {}, {}, "reg_true", "reg_pred"),
    ("mae", "MeanAbsoluteError", {}, {}, "reg_true", "reg_pred"),
    ("mape", "MeanAbsolutePercentageError", {}, {}, "reg_true", "reg_pred"),
    ("msle", "MeanSquaredLogarithmicError", {}, {}, "reg_true", "reg_pred"),
    ("rmse", "RootMeanSquaredError", {}, {}, "reg_true", "reg_pred"),
    ("bce", "BinaryCrossentropy", {}, {}, "binary_true", "binary_prob"),
    ("cce", "CategoricalCrossentropy", {}, {}, "onehot", "probs"),
    ("scce", "SparseCategoricalCrossentropy", {}, {}, "sparse", "probs"),
    ("auc", "AUC", {}, {}, "binary_true", "binary_prob"),
    ("auc_pr", "AUC", {"curve": "PR"}, {"curve": "PR"}, "binary_true", "binary_prob"),
    ("auc_minoring", "AUC", {"summation_method": "minoring", "num_thresholds": 50},
     {"summationMethod": "minoring", "numThresholds": 50}, "binary_true", "binary_prob"),
    ("auc_multi_flat", "AUC", {}, {}, "multi_true", "probs"),
    ("precision", "Precision", {}, {}, "binary_true", "binary_prob"),
    ("precision_t", "Precision", {"thresholds": 0.7}, {"thresholds": 0.7}, "binary_true", "binary_prob"),
    ("recall", "Recall", {}, {}, "binary_true", "binary_prob"),
    ("precision_topk", "Precision", {"top_k": 2}, {"topK": 2}, "multi_true", "probs"),
    ("recall_class", "Recall", {"class_id": 1}, {"classId": 1}, "multi_true", "probs"),
]


def metric_fixtures():
    batches = metric_batches()
    cases = []
    for name, cls, kwargs, ours, t, p in METRIC_CASES:
        results = {}
        for weighted in (False, True):
            m = getattr(metrics, cls)(**kwargs)
            seq = []
            for b in batches:
                m.update_state(b[t], b[p], sample_weight=b["sample_weight"] if weighted else None)
                seq.append(float(m.result()))
            m.reset_state()
            seq.append(float(m.result()))
            results["weighted" if weighted else "plain"] = seq
        cases.append({"name": name, "class": cls, "options": ours, "y_true": t, "y_pred": p,
                      "config_name": getattr(metrics, cls)(**kwargs).name, **results})
    return {"batches": [{k: f(v) for k, v in b.items()} for b in batches], "cases": cases}


# --- learning-rate schedules: the rate at each step ---------------------------------------------

# (case, Keras class, Keras kwargs, our options)
SCHEDULE_CASES = [
    ("exponential", "ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5},
     {"initialLearningRate": 0.1, "decaySteps": 3, "decayRate": 0.5}),
    ("exponential_staircase", "ExponentialDecay",
     {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5, "staircase": True},
     {"initialLearningRate": 0.1, "decaySteps": 3, "decayRate": 0.5, "staircase": True}),
    ("inverse_time", "InverseTimeDecay", {"initial_learning_rate": 0.2, "decay_steps": 2, "decay_rate": 0.7},
     {"initialLearningRate": 0.2, "decaySteps": 2, "decayRate": 0.7}),
    ("inverse_time_staircase", "InverseTimeDecay",
     {"initial_learning_rate": 0.2, "decay_steps": 2, "decay_rate": 0.7, "staircase": True},
     {"initialLearningRate": 0.2, "decaySteps": 2, "decayRate": 0.7, "staircase": True}),
    ("piecewise", "PiecewiseConstantDecay", {"boundaries": [2, 5, 8], "values": [1.0, 0.5, 0.1, 0.01]},
     {"boundaries": [2, 5, 8], "values": [1.0, 0.5, 0.1, 0.01]}),
    ("cosine", "CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 8},
     {"initialLearningRate": 0.1, "decaySteps": 8}),
    ("cosine_alpha", "CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 8, "alpha": 0.2},
     {"initialLearningRate": 0.1, "decaySteps": 8, "alpha": 0.2}),
    ("cosine_warmup", "CosineDecay",
     {"initial_learning_rate": 0.0, "decay_steps": 6, "warmup_target": 0.1, "warmup_steps": 4, "alpha": 0.1},
     {"initialLearningRate": 0.0, "decaySteps": 6, "warmupTarget": 0.1, "warmupSteps": 4, "alpha": 0.1}),
]


def schedule_fixtures():
    cases = []
    for name, cls, kwargs, ours in SCHEDULE_CASES:
        sched = getattr(optimizers.schedules, cls)(**kwargs)
        cases.append({"name": name, "class": cls, "options": ours, "config": sched.get_config(),
                      "values": [float(sched(step)) for step in range(14)]})
    return {"cases": cases}


# --- more optimizers: three update steps (the weights and gradients of optimizers.json) ---------

def sched(cls, **kw):
    return ("schedule", cls, kw)


MORE_OPTIMIZER_CASES = [
    ("adamw", "AdamW", {"learning_rate": 0.01}, {"learningRate": 0.01}),
    ("adamw_wd_amsgrad", "AdamW", {"learning_rate": 0.1, "weight_decay": 0.1, "amsgrad": True, "beta_2": 0.5},
     {"learningRate": 0.1, "weightDecay": 0.1, "amsgrad": True, "beta2": 0.5}),
    ("adamw_defaults", "AdamW", {}, {}),
    ("nadam", "Nadam", {"learning_rate": 0.01}, {"learningRate": 0.01}),
    ("nadam_defaults", "Nadam", {}, {}),
    ("nadam_wd", "Nadam", {"learning_rate": 0.05, "beta_1": 0.8, "weight_decay": 0.05},
     {"learningRate": 0.05, "beta1": 0.8, "weightDecay": 0.05}),
    ("lion", "Lion", {"learning_rate": 0.01}, {"learningRate": 0.01}),
    ("lion_betas", "Lion", {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.9},
     {"learningRate": 0.1, "beta1": 0.5, "beta2": 0.9}),
    ("sgd_momentum_wd", "SGD", {"learning_rate": 0.1, "momentum": 0.9, "weight_decay": 0.05},
     {"learningRate": 0.1, "momentum": 0.9, "weightDecay": 0.05}),
    ("adam_wd", "Adam", {"learning_rate": 0.01, "weight_decay": 0.02}, {"learningRate": 0.01, "weight_decay": 0.02}),
    ("rmsprop_wd", "RMSprop", {"learning_rate": 0.01, "weight_decay": 0.1}, {"learningRate": 0.01, "weightDecay": 0.1}),
    ("sgd_exponential", "SGD",
     {"learning_rate": sched("ExponentialDecay", initial_learning_rate=0.1, decay_steps=1, decay_rate=0.5)},
     {"learningRate": {"schedule": "ExponentialDecay",
                       "options": {"initialLearningRate": 0.1, "decaySteps": 1, "decayRate": 0.5}}}),
    ("sgd_piecewise", "SGD",
     {"learning_rate": sched("PiecewiseConstantDecay", boundaries=[0, 1], values=[0.1, 0.05, 0.01]), "momentum": 0.5},
     {"learningRate": {"schedule": "PiecewiseConstantDecay",
                       "options": {"boundaries": [0, 1], "values": [0.1, 0.05, 0.01]}}, "momentum": 0.5}),
    ("adam_cosine_warmup_wd", "Adam",
     {"learning_rate": sched("CosineDecay", initial_learning_rate=0.0, decay_steps=2, warmup_target=0.05,
                             warmup_steps=1), "weight_decay": 0.1},
     {"learningRate": {"schedule": "CosineDecay",
                       "options": {"initialLearningRate": 0.0, "decaySteps": 2, "warmupTarget": 0.05,
                                   "warmupSteps": 1}}, "weightDecay": 0.1}),
    ("adamw_inverse_time", "AdamW",
     {"learning_rate": sched("InverseTimeDecay", initial_learning_rate=0.05, decay_steps=1, decay_rate=1.0)},
     {"learningRate": {"schedule": "InverseTimeDecay",
                       "options": {"initialLearningRate": 0.05, "decaySteps": 1, "decayRate": 1.0}}}),
]


def more_optimizer_fixtures():
    cases = []
    for name, cls, kwargs, ours in MORE_OPTIMIZER_CASES:
        kw = dict(kwargs)
        lr = kw.get("learning_rate")
        if isinstance(lr, tuple):
            kw["learning_rate"] = getattr(optimizers.schedules, lr[1])(**lr[2])
        opt = getattr(optimizers, cls)(**kw)
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


# --- fit with sample/class weights, validation weights, validationFreq, initialEpoch ------------

def fit_case(name, units, activation, loss, metric_names, optimizer, fit_kwargs, ours, labels="onehot", weighted=None):
    x = uniform(10, 4)
    xv = uniform(6, 4)
    ids, idsv = RNG.randint(0, units, size=10), RNG.randint(0, units, size=6)
    if labels == "onehot":
        y, yv = one_hot(ids, units), one_hot(idsv, units)
    elif labels == "binary":
        y, yv = RNG.randint(0, 2, size=(10, 1)).astype("float32"), RNG.randint(0, 2, size=(6, 1)).astype("float32")
    else:
        y, yv = uniform(10, units, lo=0, hi=2), uniform(6, units, lo=0, hi=2)
    kernel, bias = uniform(4, units, lo=-0.5, hi=0.5), uniform(units, lo=-0.1, hi=0.1)
    sw, swv = np.round(RNG.uniform(0, 2, size=10), 2).astype("float32"), np.round(RNG.uniform(0, 2, size=6), 2).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, activation=activation)])
    model.set_weights([kernel, bias])
    model.compile(optimizer=optimizer[0](**optimizer[1]), loss=loss, metrics=metric_names, weighted_metrics=weighted)
    kw = dict(fit_kwargs)
    if kw.pop("with_sample_weight", False):
        kw["sample_weight"] = sw
    if kw.pop("with_validation", False):
        kw["validation_data"] = (xv, yv, swv) if kw.pop("validation_weights", False) else (xv, yv)
    history = model.fit(x, y, batch_size=4, shuffle=False, verbose=0, **kw)
    evaluated = model.evaluate(xv, yv, sample_weight=swv, batch_size=4, verbose=0, return_dict=True)
    return {
        "name": name, "units": units, "activation": activation, "loss": loss, "metrics": metric_names,
        "weighted_metrics": weighted or [],
        "optimizer": {"class": optimizer[0].__name__, "options": optimizer[2]}, "fit": ours,
        "x": f(x), "y": f(y), "x_val": f(xv), "y_val": f(yv), "sample_weight": f(sw), "sample_weight_val": f(swv),
        "kernel": f(kernel), "bias": f(bias),
        "history": {k: [float(v) for v in vals] for k, vals in history.history.items()},
        "epochs_run": list(history.epoch),
        "final_kernel": f(model.get_weights()[0]), "final_bias": f(model.get_weights()[1]),
        "evaluate_weighted": {k: float(v) for k, v in evaluated.items()},
    }


def fit_fixtures():
    sgd = (optimizers.SGD, {"learning_rate": 0.1}, {"learningRate": 0.1})
    cases = [
        fit_case("sample_weight_categorical", 3, "softmax", "categorical_crossentropy", ["accuracy", "mse"], sgd,
                 {"epochs": 2, "with_sample_weight": True, "with_validation": True, "validation_weights": True},
                 {"epochs": 2, "sampleWeight": True, "validationData": "weighted"}, weighted=["accuracy", "mae"]),
        fit_case("class_weight", 3, "softmax", "categorical_crossentropy", ["accuracy"], sgd,
                 {"epochs": 2, "class_weight": {0: 1.0, 1: 3.0, 2: 0.5}, "with_validation": True},
                 {"epochs": 2, "classWeight": {"0": 1.0, "1": 3.0, "2": 0.5}, "validationData": "plain"},
                 weighted=["categorical_accuracy"]),
        fit_case("binary_weighted_precision_recall", 1, "sigmoid", "binary_crossentropy",
                 ["accuracy", "precision", "recall", "auc"], (optimizers.Adam, {"learning_rate": 0.05},
                                                              {"learningRate": 0.05}),
                 {"epochs": 3, "with_sample_weight": True, "with_validation": True, "validation_freq": 2},
                 {"epochs": 3, "sampleWeight": True, "validationData": "plain", "validationFreq": 2}, labels="binary"),
        fit_case("regression_initial_epoch", 2, "linear", "mse", ["mae", "root_mean_squared_error"],
                 (optimizers.RMSprop, {"learning_rate": 0.01}, {"learningRate": 0.01}),
                 {"epochs": 3, "initial_epoch": 1, "with_sample_weight": True, "with_validation": True,
                  "validation_freq": [1, 3], "validation_weights": True},
                 {"epochs": 3, "initialEpoch": 1, "sampleWeight": True, "validationData": "weighted",
                  "validationFreq": [1, 3]}, labels="regression"),
        fit_case("huber_logits", 3, "linear", losses.Huber(delta=0.5), ["mae"], sgd,
                 {"epochs": 2, "with_sample_weight": True},
                 {"epochs": 2, "sampleWeight": True, "loss": {"class": "Huber", "options": {"delta": 0.5}}},
                 labels="regression"),
        fit_case("cce_from_logits_smoothing", 3, "linear",
                 losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2), ["categorical_accuracy"], sgd,
                 {"epochs": 2},
                 {"epochs": 2, "loss": {"class": "CategoricalCrossentropy",
                                        "options": {"fromLogits": True, "labelSmoothing": 0.2}}}),
    ]
    for c in cases:
        if not isinstance(c["loss"], str):
            c["loss"] = c["fit"].pop("loss")
    return {"cases": cases}


# --- callbacks: LearningRateScheduler's messages, CSVLogger's file, BackupAndRestore's resume ----

def callback_fixtures():
    import contextlib
    import io
    import json
    import shutil
    import tempfile

    x = uniform(12, 2)
    y = uniform(12, 1, lo=0, hi=2)
    kernel, bias = uniform(2, 1, lo=-0.5, hi=0.5), uniform(1, lo=-0.1, hi=0.1)

    def model():
        m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        m.set_weights([kernel, bias])
        m.compile(optimizer=optimizers.SGD(learning_rate=0.1, momentum=0.5), loss="mse", metrics=["mae"])
        return m

    tmp = tempfile.mkdtemp()
    try:
        csv_path = os.path.join(tmp, "log.csv")
        out = io.StringIO()
        sched = keras.callbacks.LearningRateScheduler(lambda e, lr: lr * 0.5 if e > 0 else lr, verbose=1)
        with contextlib.redirect_stdout(out):
            h = model().fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0,
                            callbacks=[keras.callbacks.CSVLogger(csv_path, separator=";"), sched])
        csv_text = open(csv_path).read()
        # append=True adds rows without a second header; with validation data the val_ columns are real
        model().fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0, validation_data=(x, y),
                    callbacks=[keras.callbacks.CSVLogger(csv_path, separator=";", append=True)])
        csv_appended = open(csv_path).read()

        backup = os.path.join(tmp, "backup")

        class Crash(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                if epoch == 1:
                    raise RuntimeError("crash")

        m = model()
        try:
            m.fit(x, y, epochs=4, batch_size=4, shuffle=False, verbose=0,
                  callbacks=[keras.callbacks.BackupAndRestore(backup), Crash()])
        except RuntimeError:
            pass
        metadata = open(os.path.join(backup, "training_metadata.json")).read()
        m2 = model()
        resumed = m2.fit(x, y, epochs=4, batch_size=4, shuffle=False, verbose=0,
                         callbacks=[keras.callbacks.BackupAndRestore(backup)])
        uninterrupted = model().fit(x, y, epochs=4, batch_size=4, shuffle=False, verbose=0)
        return {
            "x": f(x), "y": f(y), "kernel": f(kernel), "bias": f(bias),
            "scheduler_printed": out.getvalue(),
            "scheduler_history": {k: [float(v) for v in vs] for k, vs in h.history.items()},
            "csv": csv_text,
            "csv_appended": csv_appended,
            "backup_metadata_after_crash": json.loads(metadata),
            "resumed_epochs": list(resumed.epoch),
            "resumed_loss": [float(v) for v in resumed.history["loss"]],
            "uninterrupted_loss": [float(v) for v in uninterrupted.history["loss"]],
            "backup_deleted": not os.path.exists(backup),
        }
    finally:
        shutil.rmtree(tmp)


def main():
    os.makedirs(OUT, exist_ok=True)
    write("losses.json", loss_fixtures())
    write("metrics.json", metric_fixtures())
    write("schedules.json", schedule_fixtures())
    write("optimizers_more.json", more_optimizer_fixtures())
    write("fit_options.json", fit_fixtures())
    write("callbacks_training.json", callback_fixtures())
    return 0


if __name__ == "__main__":
    sys.exit(main())

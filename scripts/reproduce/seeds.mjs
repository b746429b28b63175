// The numbers each seed notebook reported, keyed by the result names the lessons report with
// display.report(…). Accuracies as fractions; `null` marks a result the seed did not print (shown, not judged).

/** Within this many percentage points of the seed's number counts as reproduced. */
export const TOLERANCE_POINTS = 1.5;

export const LESSONS = {
  "000": {
    title: "Fashion-MNIST: six MLPs, dropout 0.8 / 0.5 / 0.2 with and without BatchNormalization (SGD, 60 epochs)",
    results: {
      "000/dropout_0.8": { seed: 0.8476, label: "test accuracy, dropout 0.8" },
      "000/dropout_0.8_bn": { seed: 0.8489, label: "test accuracy, dropout 0.8 + BatchNormalization" },
      "000/dropout_0.5": { seed: 0.8701, label: "test accuracy, dropout 0.5" },
      "000/dropout_0.5_bn": { seed: 0.8848, label: "test accuracy, dropout 0.5 + BatchNormalization" },
      "000/dropout_0.2": { seed: 0.8767, label: "test accuracy, dropout 0.2" },
      "000/dropout_0.2_bn": { seed: 0.8899, label: "test accuracy, dropout 0.2 + BatchNormalization" },
    },
  },
  "001": {
    title: "MNIST with tfjs-core ops: 784-256-256-10, dropout keep 0.8, Adam, 15 epochs",
    results: {
      "001/accuracy_dropout_on": {
        seed: 0.9746,
        label: "test accuracy, dropout still on (keep_prob 0.8), as the seed measured it",
      },
      "001/accuracy_dropout_off": { seed: null, label: "test accuracy, dropout off (keep_prob 1.0)" },
    },
  },
  "002": {
    title: "Fashion-MNIST: vanilla / dropout / BatchNormalization / BN + dropout MLPs (Adam, batch 8, 25 epochs)",
    results: {
      "002/vanilla": { seed: 0.881, label: "test accuracy, “vanilla” MLP" },
      "002/dropout": { seed: 0.853, label: "test accuracy, dropout MLP" },
      "002/batchnorm": { seed: 0.867, label: "test accuracy, BatchNormalization MLP" },
      "002/batchnorm_dropout": { seed: 0.768, label: "test accuracy, BatchNormalization + dropout MLP" },
    },
  },
  "003": {
    title: "Lecture examples: learning rate, normalisation, MNIST softmax with checkpoints, architecture tips",
    results: {
      "003/lr_demo_accuracy": { seed: 1.0, label: "learning-rate demo, accuracy on the 3 evaluation samples" },
      "003/mnist_softmax": { seed: 0.9266, label: "MNIST softmax, best checkpoint reloaded" },
      "003/tip_no_hidden": {
        seed: 0.8947,
        label:
          "tip: “1 hidden layer” (softmax only), random_uniform; Python Keras 3 itself reaches 0.925 on this model (2 seeds)",
      },
      "003/tip_2_hidden_linear": { seed: 0.9267, label: "tip: 2 hidden, linear" },
      "003/tip_2_hidden_relu": { seed: 0.9806, label: "tip: 2 hidden, relu" },
      "003/tip_2_hidden_relu_glorot": { seed: 0.9817, label: "tip: 2 hidden, relu, glorot_uniform" },
      "003/tip_5_hidden": { seed: 0.9798, label: "tip: 5 hidden, relu, glorot_uniform" },
      "003/tip_5_hidden_dropout_0.1": { seed: 0.9803, label: "tip: 5 hidden, dropout 0.1" },
      "003/tip_5_hidden_dropout_0.2": { seed: 0.984, label: "tip: 5 hidden, dropout 0.2" },
      "003/tip_5_hidden_dropout_0.3": { seed: 0.9819, label: "tip: 5 hidden, dropout 0.3" },
      "003/tip_5_hidden_dropout_0.2_l1": {
        seed: 0.9815,
        label: "tip: 5 hidden, dropout 0.2, L1(1e-6) activity regularizer",
      },
    },
  },
  "004": {
    title: "CIFAR-10 CNN with dropout (Adam 1e-4, batch 32, 30 epochs)",
    results: {
      "004/final_val_acc": { seed: 0.7735, label: "validation accuracy after the last epoch" },
    },
  },
};

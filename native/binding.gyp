{
  # Built by scripts/setup/engine-native.mjs, which passes -Dtf_dir=<tfjs-node's deps folder>
  # (the libtensorflow that tfjs-node links: include/ and lib/).
  "variables": { "tf_dir%": "../node_modules/@tensorflow/tfjs-node/deps" },
  "targets": [
    {
      "target_name": "tslab_keras_engine",
      "sources": ["engine.cc", "dropout_op.cc"],
      "include_dirs": ["<(tf_dir)/include"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions"],
      "libraries": [
        "-L<(tf_dir)/lib",
        "-ltensorflow",
        "-ltensorflow_framework",
        "-Wl,-rpath,<(tf_dir)/lib"
      ]
    }
  ]
}

// Registers the engine's fused dropout op (dropout_op.cc) once per process.
#pragma once
#include <string>

// "" when TslabKerasDropout is registered (now or before), else TensorFlow's message.
std::string RegisterDropoutOp();

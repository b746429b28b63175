#!/usr/bin/env bash
# Creates .venv-keras/ (git-ignored): Python Keras 3 on TensorFlow CPU, used only to regenerate the
# golden fixtures in test/fixtures/golden/. The unit tests read the committed fixtures and need no Python.
# Reuses a complete environment; a failed install leaves nothing half-made behind.
#
#   bash scripts/golden/setup-env.sh && .venv-keras/bin/python scripts/golden/generate.py
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=.venv-keras
PY="$VENV/bin/python"
check='import tensorflow, keras, numpy; assert tensorflow.__version__ == "2.21.0" and keras.__version__.startswith("3.")'

if [ -x "$PY" ] && TF_CPP_MIN_LOG_LEVEL=3 "$PY" -c "$check" 2>/dev/null; then
  echo "$VENV already complete"
  exit 0
fi

"${PYTHON:-python3}" -m venv "$VENV"
# An unreachable index must not cost minutes: pip retries each lookup five times unless told otherwise.
if ! PIP_RETRIES=0 PIP_DISABLE_PIP_VERSION_CHECK=1 "$PY" -m pip install --quiet "tensorflow-cpu==2.21.0" keras \
  || ! TF_CPP_MIN_LOG_LEVEL=3 "$PY" -c "$check"; then
  rm -rf "$VENV"
  echo "could not install tensorflow-cpu==2.21.0 and keras into $VENV (check your pip index configuration)" >&2
  exit 1
fi
echo "$VENV ready: $("$PY" -c 'import keras, tensorflow; print("keras", keras.__version__, "tensorflow", tensorflow.__version__)' 2>/dev/null)"

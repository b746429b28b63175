#!/bin/sh
# Z2JH's lifecycleHooks.postStart: the student's own copy of the lessons on first start (kept afterwards).
set -e
project="${TSLAB_KERAS_HOME:-/opt/tslab-keras}"
lessons="$HOME/tslab-keras-lessons"
if [ ! -d "$lessons" ]; then
  cp -r "$project/notebooks" "$lessons.partial"
  mv "$lessons.partial" "$lessons"
fi
[ -e "$lessons/node_modules" ] || ln -s "$project/node_modules" "$lessons/node_modules"

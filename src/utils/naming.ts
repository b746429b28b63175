/**
 * Keras 3's automatic names: the first `Dense` is `dense`, the next `dense_1`, then `dense_2`…; models
 * likewise (`sequential`, `sequential_1`). Counters are per prefix and per session;
 * `clearSession()` resets them, as `keras.utils.clear_session()` does.
 */
const counters = new Map<string, number>();

/** `Dense` → `dense`, `BatchNormalization` → `batch_normalization`, `MaxPooling2D` → `max_pooling2d`. */
export function toSnakeCase(className: string): string {
  // The same three steps as keras.src.utils.naming.to_snake_case.
  return className
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** The next unique name for `prefix` (a snake_case Keras prefix such as `dense`). */
export function autoName(prefix: string): string {
  const uid = (counters.get(prefix) ?? 0) + 1;
  counters.set(prefix, uid);
  return uid === 1 ? prefix : `${prefix}_${uid - 1}`;
}

/** Forgets every counter: the next Dense is `dense` again. */
export function clearSession(): void {
  counters.clear();
}

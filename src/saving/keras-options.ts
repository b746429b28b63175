/** A Keras layer entry and a strict reader of its config (every option read, or an error naming it). */
export type KerasObject = {
  module?: string;
  class_name: string;
  config: Record<string, unknown>;
  registered_name?: string | null;
  build_config?: { input_shape?: (number | null)[] };
};

/** Reads a Keras layer config, remembering which options were consumed. */
export class KerasOptions {
  private readonly used = new Set<string>(["name", "trainable", "dtype"]);
  constructor(
    readonly className: string,
    readonly config: Record<string, unknown>,
  ) {}

  get layerName(): string {
    return String(this.config.name ?? "?");
  }

  fail(option: string, why: string): Error {
    return new Error(`Layer '${this.layerName}' (${this.className}): option '${option}' ${why}`);
  }

  /** The value of `key` (undefined when absent). */
  get<T = unknown>(key: string): T | undefined {
    this.used.add(key);
    const v = this.config[key];
    return v === null ? undefined : (v as T);
  }

  /** The value of `key` as written, `null` included (undefined when absent). */
  raw<T = unknown>(key: string): T | null | undefined {
    this.used.add(key);
    return this.config[key] as T | null | undefined;
  }

  /** Marks `keys` as read: options that do not change what tslab-keras computes (Keras 2's `implementation`). */
  ignore(...keys: string[]): void {
    for (const k of keys) this.used.add(k);
  }

  /** Accepts `key` only when absent or equal to `expected` (an option the library does not implement). */
  only(key: string, ...expected: unknown[]): void {
    this.used.add(key);
    if (!(key in this.config)) return;
    const v = JSON.stringify(this.config[key]);
    if (!expected.some((e) => JSON.stringify(e) === v)) {
      throw this.fail(
        key,
        `= ${v} is not supported by tslab-keras (supported: ${expected.map((e) => JSON.stringify(e)).join(" or ")})`,
      );
    }
  }

  /** Throws on any option nobody read. */
  finish(): void {
    for (const key of Object.keys(this.config)) {
      if (!this.used.has(key)) throw this.fail(key, "is not known to tslab-keras for this layer class");
    }
  }

  /** The options every layer shares: name, trainable, and for a first layer its input shape. */
  base(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.config.name };
    if (this.config.trainable === false) out.trainable = false;
    const dtype = this.config.dtype;
    const dtypeName =
      dtype && typeof dtype === "object" ? (dtype as { config?: { name?: string } }).config?.name : dtype;
    if (dtypeName !== undefined && dtypeName !== null && dtypeName !== "float32") {
      throw this.fail("dtype", `= ${JSON.stringify(dtypeName)} is not supported (tslab-keras computes in float32)`);
    }
    // Keras 2 configs put the model's input shape on the first layer.
    const batch = this.get<(number | null)[]>("batch_input_shape");
    if (batch) out.inputShape = batch.slice(1);
    return out;
  }
}

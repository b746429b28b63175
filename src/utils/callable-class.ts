/**
 * Keras writes `keras.metrics.AUC()` and `keras.losses.Huber(delta=2.0)`: a class called like a
 * function. `callableClass(C)` is C itself (so `new C()`, `instanceof C` and `class D extends C` work)
 * that can also be called without `new`, as the layer factories are.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClass = abstract new (...args: any[]) => any;

export type CallableClass<C extends AnyClass> = C &
  ((...args: ConstructorParameters<C>) => InstanceType<C>) & {
    new (...args: ConstructorParameters<C>): InstanceType<C>;
  };

export function callableClass<C extends AnyClass>(cls: C): CallableClass<C> {
  return new Proxy(cls, {
    apply: (target, _this, args) => Reflect.construct(target, args),
  }) as CallableClass<C>;
}

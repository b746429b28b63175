/**
 * The optimizer inside the graph: Keras 3's SGD (plain, momentum, Nesterov) and Adam (and AMSGrad)
 * with TensorFlow's fused apply kernels, whose formulas are Keras' (ResourceApplyGradientDescent,
 * ResourceApplyKerasMomentum: m = momentum·m − lr·g; w += m (Nesterov: w += momentum·m − lr·g);
 * ResourceApplyAdam: α = lr·√(1−β2^t)/(1−β1^t), m += (g−m)(1−β1), v += (g²−v)(1−β2), w −= α·m/(√v+ε)).
 * Keras 2's inverse-time `decay` divides the rate by 1 + decay·iterations.
 */
import { type OpId, type Out } from "./native";
import type { GraphBuilder, GraphVariable } from "./graph";
import { F } from "./layers";
import type { OptimizerSpec, WeightSpec } from "./spec";

export interface OptimizerGraph {
  updates: OpId[];
  slots: GraphVariable[][];
  iterations: GraphVariable;
  learningRate: GraphVariable;
}

export function buildOptimizer(
  g: GraphBuilder,
  optimizer: OptimizerSpec,
  weights: GraphVariable[],
  wspecs: WeightSpec[],
  grads: (Out | undefined)[],
  after: OpId[][],
): OptimizerGraph {
  const trainable = wspecs.map((w, k) => (w.trainable ? k : -1)).filter((k) => k >= 0);
  const iterations = g.variable("optimizer/iterations", []);
  const learningRate = g.variable("optimizer/learning_rate", []);
  const it = g.read(iterations.handle);
  const step = g.bin("AddV2", it, g.scalar(1));
  let lr = g.read(learningRate.handle);
  if (optimizer.decay > 0)
    lr = g.bin("RealDiv", lr, g.bin("AddV2", g.scalar(1), g.bin("Mul", g.scalar(optimizer.decay), it)));
  const slotNames =
    optimizer.kind === "adam"
      ? optimizer.amsgrad
        ? ["m", "v", "vhat"]
        : ["m", "v"]
      : optimizer.momentum > 0
        ? ["m"]
        : [];
  const slots = trainable.map((k) => slotNames.map((s) => g.variable(`${weights[k].name}/${s}`, wspecs[k].shape)));
  const updates: OpId[] = [];
  let b1p: Out | undefined;
  let b2p: Out | undefined;
  if (optimizer.kind === "adam") {
    b1p = g.bin("Pow", g.scalar(optimizer.beta1), step);
    b2p = g.bin("Pow", g.scalar(optimizer.beta2), step);
  }
  trainable.forEach((k, j) => {
    const gk = grads[k];
    if (gk === undefined) throw new Error(`engine: no gradient for ${weights[k].name}`);
    const v = weights[k].handle;
    const s = slots[j].map((sv) => sv.handle);
    const control = after[k];
    if (optimizer.kind === "sgd") {
      if (optimizer.momentum > 0) {
        updates.push(
          g.opId(
            "ResourceApplyKerasMomentum",
            [v, s[0], lr, gk, g.scalar(optimizer.momentum)],
            [F, ["use_nesterov", "bool", optimizer.nesterov]],
            { control },
          ),
        );
      } else {
        updates.push(g.opId("ResourceApplyGradientDescent", [v, lr, gk], [F], { control }));
      }
    } else {
      const hp = [
        b1p!,
        b2p!,
        lr,
        g.scalar(optimizer.beta1),
        g.scalar(optimizer.beta2),
        g.scalar(optimizer.epsilon),
        gk,
      ];
      if (optimizer.amsgrad)
        updates.push(g.opId("ResourceApplyAdamWithAmsgrad", [v, s[0], s[1], s[2], ...hp], [F], { control }));
      else updates.push(g.opId("ResourceApplyAdam", [v, s[0], s[1], ...hp], [F], { control }));
    }
  });
  updates.push(g.assign(iterations.handle, step));

  return { updates, slots, iterations, learningRate };
}

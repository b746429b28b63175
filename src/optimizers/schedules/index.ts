/** `optimizers.schedules`: Keras 3's learning-rate schedules, accepted as any optimizer's `learningRate`. */
export {
  LearningRateSchedule,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  CosineDecay,
  serialize,
  deserialize,
  type ExponentialDecayOptions,
  type InverseTimeDecayOptions,
  type PiecewiseConstantDecayOptions,
  type CosineDecayOptions,
} from "./learning-rate-schedule";

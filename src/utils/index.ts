/**
 * `utils`: Keras' `keras.utils` helpers plus the data preparation the lessons do with NumPy/sklearn.
 */
export { toCategorical, argmax } from "./categorical";
export { trainTestSplit, type TrainTestSplitOptions } from "./split";
export { normalize, minMaxScale, type NormalizeOptions, type MinMaxOptions } from "./scaling";
export { meanStd, type MeanStdOptions, type MeanStd } from "./stats";
export { setRandomSeed, clearRandomSeed } from "../random";
export { clearSession } from "./naming";
export { editDistance, closestMatches, unknownIdentifierError } from "./suggest";
export { plotModel, ModelPlot, type PlotModelOptions } from "../models/plot";

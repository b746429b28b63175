/** Display layer: MIME bundles, Vega-Lite charts, images, tables. Never imports training code. */
export * from "./bridge";
export {
  publish,
  show,
  bundleOf,
  newDisplayId,
  inKernel,
  clearOutput,
  type PublishOptions,
  type ClearOutputOptions,
} from "./output";
export { Chart, chart, renderSVG, loadVega, VEGALITE_MIME, VEGALITE_SCHEMA, type VegaLiteSpec } from "./chart";
export {
  lineChartSpec,
  summarizePanels,
  PALETTE,
  type Panel,
  type Series,
  type Rule,
  type LineChartOptions,
} from "./line-chart";
export {
  plotHistory,
  historyChart,
  historyPanels,
  normalizeHistories,
  type PlotHistoryOptions,
  type HistoryLike,
  type HistoryRecord,
} from "./plot-history";
export { showImages, ImageGrid, type ShowImagesOptions, type ImagesInput, type TensorLike } from "./images";
export { table, Table, type TableInput, type TableOptions } from "./table";
export { exportHTML, exportNotebookHTML, notebookToHTML, chartHTML, inlineVegaScripts } from "./html-export";
export { markdownToHTML } from "./markdown";
export { svgToPNG, chartFontFiles, DEFAULT_CHART_FONTS, type SvgToPngOptions } from "./png";
export { report, RESULTS_MIME } from "./results";

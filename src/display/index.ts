/** Display layer: MIME bundles, Vega-Lite charts, images, tables. Never imports training code. */
export * from "./bridge";

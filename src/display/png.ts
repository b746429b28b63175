/**
 * PNG copies of the charts' SVG, for the renderers that want `image/png` (GitHub's notebook view,
 * nbconvert's PDF/LaTeX paths). resvg (a Rust SVG renderer shipped as a prebuilt npm binary) draws
 * the SVG that vega rendered; it is given the font files explicitly, so the output does not depend on
 * whatever fonts the machine has: DejaVu Sans for Latin text and Nanum Gothic for the lessons' Korean
 * (Debian's fonts-dejavu-core and fonts-nanum, installed by scripts/setup/fonts.mjs). Glyphs the first
 * font lacks fall back to the others. `TSLAB_KERAS_CHART_FONTS` (a path list) replaces the defaults;
 * with none of them present, resvg uses the system's fonts.
 */
import { existsSync } from "node:fs";
import { delimiter } from "node:path";
import { Resvg } from "@resvg/resvg-js";

/** Font files tried in order: Latin first (vega's default "sans-serif"), then Korean. */
export const DEFAULT_CHART_FONTS = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
  "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
  "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
  "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
];

/** The chart font files that exist here (`TSLAB_KERAS_CHART_FONTS` overrides the default list). */
export function chartFontFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = env.TSLAB_KERAS_CHART_FONTS ? env.TSLAB_KERAS_CHART_FONTS.split(delimiter) : DEFAULT_CHART_FONTS;
  return list.filter((file) => file && existsSync(file));
}

export interface SvgToPngOptions {
  /** Pixels per SVG unit (default 1: the PNG has the chart's own size). */
  scale?: number;
  /** Font files (default: `chartFontFiles()`). */
  fontFiles?: string[];
}

/** Rasterises an SVG string to PNG bytes on a white background. */
export function svgToPNG(svg: string, options: SvgToPngOptions = {}): Buffer {
  const fontFiles = options.fontFiles ?? chartFontFiles();
  const family = fontFiles.some((f) => /DejaVuSans/.test(f)) ? "DejaVu Sans" : undefined;
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: options.scale ?? 1 },
    font: {
      fontFiles,
      loadSystemFonts: fontFiles.length === 0,
      ...(family ? { defaultFontFamily: family, sansSerifFamily: family } : {}),
    },
  });
  return resvg.render().asPng();
}

/**
 * Every chart bundle carries a valid PNG beside its SVG and spec (GitHub and nbconvert's PDF path show
 * image/png), drawn by resvg with the chart fonts, and Korean text renders as real glyphs.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PNG } from "pngjs";
import { chart, chartFontFiles, plotHistory, svgToPNG, VEGALITE_MIME } from "../../src/display/index";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function decode(png: Buffer): PNG {
  assert.deepEqual(png.subarray(0, 8), SIGNATURE, "PNG signature");
  return PNG.sync.read(png);
}

/** Pixels noticeably darker than the white background. */
function inkPixels(image: PNG): number {
  let n = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (image.data[i] + image.data[i + 1] + image.data[i + 2] < 3 * 160) n++;
  }
  return n;
}

function svgSize(svg: string): [number, number] {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  assert.ok(m, "the SVG has a width and a height");
  return [Math.round(Number(m[1])), Math.round(Number(m[2]))];
}

test("chart bundles carry image/png beside the SVG and the spec, at the SVG's size", async () => {
  const c = await plotHistory({ loss: [1, 0.5, 0.25], val_loss: [1.1, 0.7, 0.5] }, { title: "loss" });
  const bundle = c.bundle();
  assert.ok(bundle[VEGALITE_MIME] && bundle["image/svg+xml"] && bundle["text/plain"]);
  const png = Buffer.from(bundle["image/png"] as string, "base64");
  const image = decode(png);
  assert.deepEqual([image.width, image.height], svgSize(bundle["image/svg+xml"] as string));
  assert.ok(inkPixels(image) > 500, "curves, axes and labels are drawn");

  const bar = await chart({ data: { values: [{ a: "x", b: 1 }] }, mark: "bar", encoding: { x: { field: "a" } } });
  assert.ok(decode(Buffer.from(bar.bundle()["image/png"] as string, "base64")).width > 0);
});

test("the chart fonts include a Korean one, and Korean text renders as distinct glyphs", () => {
  const fonts = chartFontFiles();
  assert.ok(
    fonts.some((f) => /Nanum|CJK/.test(f)),
    `a Korean font among ${fonts.join(", ") || "(none)"} — run npm install (scripts/setup/fonts.mjs)`,
  );
  const text = (s: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><text x="10" y="40" font-family="sans-serif" font-size="28">${s}</text></svg>`;
  const loss = decode(svgToPNG(text("손실")));
  const accuracy = decode(svgToPNG(text("정확도")));
  const blank = decode(svgToPNG(text("")));
  assert.equal(inkPixels(blank), 0);
  assert.ok(inkPixels(loss) > 100, `"손실" draws glyph pixels (${inkPixels(loss)})`);
  assert.ok(inkPixels(accuracy) > 100, `"정확도" draws glyph pixels (${inkPixels(accuracy)})`);
  assert.notDeepEqual(loss.data, decode(svgToPNG(text("학습"))).data, "different words, different glyphs (not boxes)");
  // Without the Korean font the same word draws nothing (or missing-glyph boxes), so the font is what draws it.
  const latinOnly = fonts.filter((f) => !/Nanum|CJK/.test(f));
  const without = decode(svgToPNG(text("손실"), { fontFiles: latinOnly }));
  assert.notDeepEqual(without.data, loss.data);
});

test("a chart with a Korean title: its PNG differs from the same chart titled in Latin letters", async () => {
  const h = { loss: [1, 0.5, 0.25] };
  const korean = await plotHistory(h, { title: "손실 그래프" });
  const latin = await plotHistory(h, { title: "xx xxx" });
  const a = decode(Buffer.from(korean.bundle()["image/png"] as string, "base64"));
  const b = decode(Buffer.from(latin.bundle()["image/png"] as string, "base64"));
  assert.ok(inkPixels(a) > inkPixels(b) * 0.9, "the Korean title is drawn");
  assert.notDeepEqual(a.data, b.data);
});

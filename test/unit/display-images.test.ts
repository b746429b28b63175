import { test } from "node:test";
import assert from "node:assert/strict";
import { PNG } from "pngjs";
import { showImages, table, JUPYTER_DISPLAY } from "../../src/display/index";

function digits(n: number, max = 1): Float32Array {
  const data = new Float32Array(n * 784);
  for (let k = 0; k < n; k++) for (let i = 0; i < 28; i++) data[k * 784 + i * 28 + 14] = max; // a vertical stroke
  return data;
}

const decode = (b64: string) => PNG.sync.read(Buffer.from(b64, "base64"));

test("showImages: a [n,28,28,1] tensor-like becomes one PNG grid, an HTML grid with titles, and text", () => {
  const t = { shape: [10, 28, 28, 1], dataSync: () => digits(10) };
  const grid = showImages(t, { titles: [7, 2, 1, 0, 4, 1, 4, 9, 5, 9], cols: 5, scale: 2 });
  const bundle = grid[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["image/png", "text/html", "text/plain"]);
  const png = decode(bundle["image/png"] as string);
  assert.equal(png.width, 5 * 56 + 4 * 2);
  assert.equal(png.height, 2 * 56 + 2);
  // pixel (row 3, col 14) of the first digit is white (value 1 → 255), (3, 3) black
  assert.equal(png.data[(6 * png.width + 28) * 4], 255);
  assert.equal(png.data[(6 * png.width + 6) * 4], 0);
  const html = bundle["text/html"] as string;
  assert.equal((html.match(/<img /g) ?? []).length, 10);
  assert.match(html, /<figcaption[^>]*>7<\/figcaption>/);
  const first = /src="data:image\/png;base64,([^"]+)"/.exec(html)![1];
  assert.equal(decode(first).width, 56);
  assert.equal(
    bundle["text/plain"],
    "10 images, 28×28 grey, values 0–1 detected (shown ×255); titles: 7 2 1 0 4 1 4 9 5 9",
  );
});

test("showImages: 0–255 values, [n,784] rows, RGB [n,32,32,3], arrays of typed arrays, gray_r", () => {
  const g = showImages({ shape: [3, 784], dataSync: () => digits(3, 255) }, { cmap: "gray_r" });
  assert.match(g.text, /^3 images, 28×28 grey, values 0–255 detected/);
  assert.equal(decode(g.bundle()["image/png"] as string).data[0], 255, "gray_r: 0 is white");
  const rgb = new Uint8Array(2 * 32 * 32 * 3).fill(200);
  const c = showImages({ shape: [2, 32, 32, 3], dataSync: () => rgb }, { scale: 1 });
  assert.match(c.text, /^2 images, 32×32 RGB/);
  assert.equal(c.width, 32 * 2 + 2);
  const arr = showImages([digits(1), digits(1)]);
  assert.match(arr.text, /^2 images, 28×28 grey/);
  const nested = showImages(
    [
      [
        [0, 1],
        [1, 0],
      ],
    ],
    { scale: 4 },
  );
  assert.equal(nested.width, 8);
});

test("showImages: clear errors for wrong sizes, ranges and NaN", () => {
  assert.throws(
    () => showImages(new Float32Array(100)),
    /cannot tell the size of an image from 100 values; pass \{ shape: \[h, w\] \}/,
  );
  assert.throws(
    () => showImages({ shape: [2, 28, 28, 2], dataSync: () => new Float32Array(2 * 784 * 2) }),
    /1 \(grey\) or 3 \(RGB\) channels; got 2/,
  );
  assert.throws(
    () => showImages({ shape: [2, 28, 28], dataSync: () => new Float32Array(700) }),
    /700 values do not make 2 image\(s\) of 28×28×1/,
  );
  const bad = digits(1);
  bad[5] = -3;
  assert.throws(
    () => showImages(bad),
    /pixel values range from -3 to 1; expected 0–1 or 0–255 \(pass \{ range: \[-3, 1\] \} to rescale\)/,
  );
  assert.doesNotThrow(() => showImages(bad, { range: [-3, 1] }));
  bad[5] = NaN;
  assert.throws(() => showImages(bad), /image 0 has a NaN pixel/);
  assert.throws(() => showImages([]), /no images given/);
});

test("showImages: real tfjs tensors — no tensors leaked, large batches sliced and disposed", async () => {
  const { tf } = await import("../../src/tf.js");
  const x = tf.tidy(() => tf.randomUniform([150, 28, 28]));
  const before = tf.memory().numTensors;
  const grid = showImages(x, { titles: ["a"] });
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  assert.match(grid.text, /^100 images \(first 100 of 150\), 28×28 grey, values 0–1 detected/);
  const small = tf.zeros([2, 28, 28, 1]);
  showImages(small);
  assert.equal(tf.memory().numTensors, before + 1);
  x.dispose();
  small.dispose();
});

test("table: like pd.DataFrame(history.history) — index, key order, 6 significant digits per column", () => {
  const history = {
    history: {
      val_loss: [0.4352412, 0.345785, 0.3147681],
      val_accuracy: [0.8914999961853027, 0.9103, 0.9161],
      loss: [0.804401, 0.401706, 0.344418],
      accuracy: [0.803, 0.894583, 0.907183],
    },
  };
  const t = table(history);
  assert.equal(
    t.toString(),
    [
      "   val_loss  val_accuracy      loss  accuracy",
      "0  0.435241        0.8915  0.804401  0.803000",
      "1  0.345785        0.9103  0.401706  0.894583",
      "2  0.314768        0.9161  0.344418  0.907183",
    ].join("\n"),
  );
  const bundle = t[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle), ["text/html", "text/plain"]);
  const html = bundle["text/html"] as string;
  assert.match(html, /<table border="1" class="dataframe">/);
  assert.match(html, /<th><\/th><th>val_loss<\/th><th>val_accuracy<\/th><th>loss<\/th><th>accuracy<\/th>/);
  assert.match(html, /<tr><th>0<\/th><td>0\.435241<\/td><td>0\.8915<\/td><td>0\.804401<\/td><td>0\.803000<\/td><\/tr>/);
  assert.match(table({ a: [1, NaN], b: [2] }).toString(), /1 {2}NaN {2}NaN/);
  assert.match(
    table({ a: Array.from({ length: 100 }, (_, i) => i) }, { maxRows: 10 }).toString(),
    /\.\.\.[\s\S]*\[100 rows x 1 columns\]/,
  );
  assert.throws(() => table(5 as never), /table: expected a History/);
});

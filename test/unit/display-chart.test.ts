import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  plotHistory,
  historyChart,
  show,
  exportHTML,
  exportNotebookHTML,
  JUPYTER_DISPLAY,
  VEGALITE_MIME,
  type VegaLiteSpec,
} from "../../src/display/index";
import { installFakeSender } from "./display-helpers";

const h1 = {
  history: {
    loss: [0.8, 0.5, 0.4, 0.35, 0.3],
    accuracy: [0.7, 0.8, 0.85, 0.86, 0.88],
    val_loss: [0.6, 0.45, 0.4, 0.41, 0.39],
    val_accuracy: [0.75, 0.82, 0.84, 0.85, 0.86],
  },
  epoch: [0, 1, 2, 3, 4],
};
const h2 = {
  loss: [1, 0.7, 0.6],
  accuracy: [0.6, 0.7, 0.75],
  val_loss: [0.9, 0.8, 0.7],
  val_accuracy: [0.65, 0.7, 0.74],
};

type Layer = { data?: { values?: Record<string, unknown>[] }; mark?: { type?: string; strokeDash?: number[] } };
const layers = (spec: VegaLiteSpec) => (spec.layer ?? []) as Layer[];
const rows = (spec: VegaLiteSpec) => layers(spec)[0].data!.values!;

test("plotHistory: one bundle with vegalite, SVG, PNG and text/plain; 1-based epochs; dashed labelled test rule", async () => {
  const chart = await plotHistory(h1, {
    metrics: "accuracy",
    testScore: 0.881,
    testLabel: "test accuracy",
    title: "vanilla",
  });
  const bundle = chart[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), [VEGALITE_MIME, "image/png", "image/svg+xml", "text/plain"].sort());
  const svg = bundle["image/svg+xml"] as string;
  assert.ok(svg.startsWith("<svg"), "SVG starts with <svg");
  assert.match(svg, /<path[^>]*d="M/, "curve paths");
  assert.match(svg, />epoch</);
  assert.match(svg, />accuracy</);
  assert.match(svg, /stroke-dasharray="6,4"/, "dashed rule in the SVG");
  assert.match(svg, /test accuracy: 0\.8810/);

  const spec = chart.toSpec();
  assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.deepEqual(bundle[VEGALITE_MIME], spec);
  const data = rows(spec);
  const train = data.filter((r) => r.series === "accuracy").map((r) => r.epoch);
  assert.deepEqual(train, [1, 2, 3, 4, 5]);
  assert.ok(data.some((r) => r.series === "val_accuracy"));
  const rule = layers(spec).find((l) => l.mark?.type === "rule");
  assert.ok(rule, "a rule layer");
  assert.deepEqual(rule!.mark!.strokeDash, [6, 4]);
  assert.deepEqual(rule!.data!.values![0].value, 0.881);
  assert.equal(rule!.data!.values![0].series, "test accuracy");
  assert.match(bundle["text/plain"] as string, /accuracy\s+0\.7000 → 0\.8800/);
  assert.match(bundle["text/plain"] as string, /test accuracy\s+0\.8810 \(dashed rule\)/);
});

test("plotHistory: several models in one chart, each with its own dashed test rule", async () => {
  const chart = await plotHistory(
    { vanilla: h1, dropout: h2 },
    { metrics: "accuracy", testScore: { vanilla: 0.88, dropout: 0.79 }, xLabel: "epoch number" },
  );
  const spec = chart.toSpec();
  const series = new Set(rows(spec).map((r) => r.series));
  for (const s of ["vanilla accuracy", "vanilla val_accuracy", "dropout accuracy", "dropout val_accuracy"]) {
    assert.ok(series.has(s), `series ${s}`);
  }
  const rule = layers(spec).find((l) => l.mark?.type === "rule")!;
  assert.deepEqual(
    rule.data!.values!.map((r) => r.series),
    ["vanilla test accuracy", "dropout test accuracy"],
  );
  assert.equal(spec.title, "vanilla vs. dropout");
  assert.match(chart.svg!, />epoch number</);
});

test("plotHistory: loss and accuracy as two panels side by side (hconcat)", async () => {
  const chart = await plotHistory(h1, { metrics: ["loss", "accuracy"], layout: "panels" });
  const spec = chart.toSpec();
  const panels = spec.hconcat as VegaLiteSpec[];
  assert.equal(panels.length, 2);
  assert.equal(panels[0].title, "train and val loss");
  assert.deepEqual([...new Set(rows(panels[1]).map((r) => r.series))], ["accuracy", "val_accuracy"]);
  assert.ok(chart.svg!.startsWith("<svg"));
});

test("plotHistory: NaN values leave an honest gap and a note", async () => {
  const chart = await plotHistory({ loss: [0.9, NaN, 0.5, 0.4], val_loss: [1, 0.9, 0.8, 0.7] });
  const spec = chart.toSpec();
  const loss = rows(spec).filter((r) => r.series === "loss");
  assert.deepEqual(
    loss.map((r) => r.epoch),
    [1, 3, 4],
  );
  assert.notEqual(loss[0].segment, loss[1].segment, "the line breaks at the NaN");
  assert.ok(
    rows(spec).every((r) => Number.isFinite(r.value)),
    "no NaN/null in the data",
  );
  assert.match(chart.text, /note: loss: NaN\/infinite at epoch 2, shown as a gap/);
  assert.deepEqual((spec.title as { subtitle: string[] }).subtitle, ["loss: NaN/infinite at epoch 2, shown as a gap"]);
});

test("plotHistory: clear errors for a missing metric, an empty history, a wrong shape", async () => {
  await assert.rejects(plotHistory(h1, { metrics: "acc" }), {
    message:
      'plotHistory: no metric "acc" in the history; available keys: loss, accuracy, val_loss, val_accuracy — did you mean "accuracy"?',
  });
  await assert.rejects(
    plotHistory({ vanilla: h1, dropout: h2 }, { metrics: "mae" }),
    /no metric "mae" in the history of model "vanilla"/,
  );
  await assert.rejects(plotHistory({ history: {} }), /the history is empty — no epochs recorded/);
  await assert.rejects(plotHistory({ loss: [] }), /the history is empty/);
  await assert.rejects(plotHistory(42 as never), /expected a History/);
  assert.throws(() => historyChart({ a: h1, b: h2 }, { testScore: 0.5 }), /testScore must be \{ model: score \}/);
});

test("show(): sends the bundle through the kernel's sender, or prints text/plain outside a kernel", async () => {
  const chart = historyChart(h1, { metrics: "loss" });
  assert.equal(chart.bundle()["image/svg+xml"], undefined, "unrendered charts still display, without SVG");
  const { sender, restore } = installFakeSender();
  try {
    chart.show();
    show({ a: 1 });
    await show(plotHistory(h1, { metrics: "loss", render: false })); // a forgotten await is forgiven
  } finally {
    restore();
  }
  assert.equal(sender.sent.length, 3);
  assert.ok(VEGALITE_MIME in sender.sent[2].bundle);
  assert.ok(VEGALITE_MIME in sender.sent[0].bundle);
  assert.equal(sender.sent[1].bundle["text/plain"], '{\n  "a": 1\n}');

  const writes: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = ((s: string) => (writes.push(s), true)) as typeof process.stdout.write;
  try {
    chart.show();
  } finally {
    process.stdout.write = original;
  }
  assert.match(writes.join(""), /^loss vs epoch, 5 epochs\n {2}loss/);
});

test("toHTML / exportHTML: self-contained page with vega, vega-lite and vega-embed inlined", async () => {
  const chart = await plotHistory(h1, { metrics: "loss" });
  const html = chart.toHTML({ title: "loss" });
  assert.ok(!/<script[^>]+src=/.test(html), "no external scripts");
  assert.ok(!html.includes("cdn.jsdelivr"), "no CDN");
  assert.match(html, /vega\/build\/vega\.min\.js/);
  assert.match(html, /vega-lite\/build\/vega-lite\.min\.js/);
  assert.match(html, /vega-embed\/build\/vega-embed\.min\.js/);
  assert.match(html, /vegaEmbed\(el, spec/);
  assert.ok(html.includes('"series":"val_loss"'));
  assert.equal(exportHTML(chart), chart.toHTML());
});

test("exportNotebookHTML: an executed notebook as one offline page", async () => {
  const chart = await plotHistory(h1, { metrics: "loss" });
  const nb = {
    cells: [
      { cell_type: "markdown", source: ["# Lesson 1\n", "Some **bold** text and `code`.\n"] },
      {
        cell_type: "code",
        execution_count: 3,
        source: "await plotHistory(history)",
        outputs: [
          { output_type: "stream", name: "stdout", text: ["Epoch 1/2\n"] },
          { output_type: "execute_result", data: chart.bundle() },
          { output_type: "display_data", data: { "image/png": "iVBORw0KGgo=", "text/plain": "img" } },
          { output_type: "error", ename: "Error", evalue: "boom", traceback: ["\x1b[31mError: boom\x1b[0m"] },
        ],
      },
    ],
  };
  const dir = mkdtempSync(join(tmpdir(), "display-"));
  writeFileSync(join(dir, "l.ipynb"), JSON.stringify(nb));
  exportNotebookHTML(join(dir, "l.ipynb"), join(dir, "l.html"));
  const html = readFileSync(join(dir, "l.html"), "utf8");
  assert.match(html, /<h1>Lesson 1<\/h1>/);
  assert.match(html, /<strong>bold<\/strong>/);
  assert.match(html, /In \[3\]:<\/div><pre>await plotHistory\(history\)<\/pre>/);
  assert.match(html, /<div class="vega-chart" data-spec="vis-0-spec"><\/div>/);
  assert.match(html, /<img src="data:image\/png;base64,iVBORw0KGgo=">/);
  assert.match(html, /Error: boom/);
  assert.ok(!html.includes("\x1b["), "ANSI stripped");
  assert.throws(() => exportNotebookHTML(join(dir, "missing.ipynb"), join(dir, "x.html")), /cannot read/);
});

test("plotHistory yScale: log axis, values ≤ 0 left out with a note, per-metric scales, bad values named", async () => {
  const diverging = { loss: [1.4, 8, 203, 40, 0] };
  const converging = { loss: [1.4, 0.9, 0.7, 0.6, 0.58] };
  const chart = await plotHistory({ "lr 10": diverging, "lr 0.1": converging }, { metrics: "loss", yScale: "log" });
  const spec = chart.toSpec();
  const y = (layers(spec)[0] as { encoding: { y: { scale: unknown; title: string } } }).encoding.y;
  assert.deepEqual(y.scale, { type: "log" });
  assert.equal(y.title, "loss (log scale)");
  assert.equal(rows(spec).filter((r) => r.series === "lr 10 loss").length, 4, "the 0 is not drawn");
  assert.match(chart.text, /lr 10 loss: ≤ 0 at epoch 5, not drawn on the log scale/);
  assert.match(chart.svg!, />loss \(log scale\)</);

  const panels = historyChart(h1, { metrics: ["loss", "accuracy"], yScale: { loss: "log" } }).toSpec();
  const [lossPanel, accPanel] = (panels.hconcat as VegaLiteSpec[]).map(
    (p) => (layers(p)[0] as { encoding: { y: { scale: unknown } } }).encoding.y.scale,
  );
  assert.deepEqual(lossPanel, { type: "log" });
  assert.deepEqual(accPanel, { zero: false });
  assert.deepEqual(
    (layers(historyChart(h1, { metrics: "loss" }).toSpec())[0] as { encoding: { y: { scale: unknown } } }).encoding.y
      .scale,
    { zero: false },
    "linear by default",
  );

  assert.throws(
    () => historyChart(h1, { yScale: "logarithmic" as "log" }),
    /yScale must be "linear" or "log", got "logarithmic"/,
  );
  assert.throws(
    () => historyChart(h1, { metrics: "loss", yScale: { acc: "log" } }),
    /names metric "acc", which is not plotted/,
  );
});

/**
 * The lesson as a student sees it: the project's JupyterLab in headless Chromium (Debian's chromium,
 * driven by playwright-core), running a notebook's cells and rendering its Vega-Lite charts.
 * Artefacts (screenshot, executed notebook) go to test-results/browser/.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore -- plain ESM helper shared with `npm start`
import { startLab } from "../../scripts/lab.mjs";

const projectRoot = join(__dirname, "..", "..");
const artefacts = join(projectRoot, "test-results", "browser");
const chromiumPath = process.env.TSLAB_KERAS_CHROMIUM ?? "/usr/bin/chromium";
const NOTEBOOK = "getting-started.ipynb";

/** Waits until the server has a session for the notebook whose kernel is started and idle. */
async function waitForIdleKernel(base: string, token: string, notebook: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/api/sessions?token=${token}`);
    const sessions = (await response.json()) as { path: string; kernel?: { execution_state?: string } }[];
    if (sessions.some((s) => s.path.endsWith(notebook) && s.kernel?.execution_state === "idle")) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no idle kernel for ${notebook} after ${timeoutMs / 1000}s`);
}

/** Run → Run All Cells, then waits for the first code cell to start (its prompt shows "[*]" or "[n]"). */
async function runAllCells(page: Page) {
  await page.locator(".lm-MenuBar-itemLabel", { hasText: /^Run$/ }).click();
  await page.locator(".lm-Menu-itemLabel", { hasText: /^Run All Cells$/ }).click();
  await page.waitForFunction(
    () => /\[(\*|\d+)\]/.test(document.querySelector(".jp-CodeCell .jp-InputArea-prompt")?.textContent ?? ""),
    null,
    { timeout: 30_000 },
  );
}

test(
  "JupyterLab renders the getting-started notebook's charts and an in-place progress bar",
  { timeout: 300_000 },
  async (t) => {
    if (!existsSync(chromiumPath)) {
      if (process.env.CI) assert.fail(`${chromiumPath} is missing; npm install installs Debian's chromium as root`);
      t.skip(`no Chromium at ${chromiumPath}`);
      return;
    }
    // Run a copy inside the project (so the kernel resolves node_modules/tslab-keras), never the lesson itself.
    const root = join(artefacts, "root");
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    copyFileSync(join(projectRoot, "notebooks", NOTEBOOK), join(root, NOTEBOOK));

    const lab = await startLab({
      rootDir: root,
      port: 8950,
      quiet: true,
      env: { ...process.env, LESSON_SCALE: "smoke" },
    });
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await page.goto(`${lab.base}/lab/tree/${NOTEBOOK}?token=${lab.token}`);
      await page.locator(".jp-Notebook").first().waitFor({ timeout: 90_000 });
      // Run All sent before the session has its kernel opens a "Select Kernel" dialog instead of running.
      await waitForIdleKernel(lab.base, lab.token, NOTEBOOK);
      await page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first().waitFor({ timeout: 30_000 });
      await runAllCells(page);

      // Every code cell ran: each prompt shows an execution count ("[*]" while running, "[ ]" before).
      await page.waitForFunction(
        () => {
          const prompts = Array.from(document.querySelectorAll(".jp-CodeCell .jp-InputArea-prompt"));
          return prompts.length > 0 && prompts.every((p) => /\[\d+\]/.test(p.textContent ?? ""));
        },
        null,
        { timeout: 240_000 },
      );
      // The rendered chart itself (vega-embed also holds a hidden svg icon for its actions menu). The
      // notebook renders cells lazily, so bring the chart's cell into view first.
      await page.locator(".jp-CodeCell", { hasText: "plotHistory(" }).first().scrollIntoViewIfNeeded();
      const chart = page.locator(".jp-OutputArea .vega-embed canvas, .jp-OutputArea .vega-embed svg.marks").first();
      await chart.waitFor({ timeout: 60_000 });
      await page.screenshot({ path: join(artefacts, "getting-started.png"), fullPage: true });

      const errors = await page
        .locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        .allInnerTexts();
      assert.deepEqual(
        errors.filter((e) => /Error|error/.test(e)),
        [],
        "no error output in any cell",
      );
      const vegaErrors = await page.locator(".vega-embed .error, .jp-RenderedVegaCommon .error").count();
      assert.equal(vegaErrors, 0, "no Vega rendering error");
      assert.ok((await page.locator(".jp-OutputArea .vega-embed").count()) >= 1, "at least one vega-embed container");

      // Keras' progress bar, updated in place: each epoch's output ends as its final state (26/26 of
      // 26 steps), with no intermediate "k/26" line left behind, and one output per epoch.
      const fitCell = page.locator(".jp-CodeCell", { hasText: "model.fit(" }).first();
      await fitCell.scrollIntoViewIfNeeded();
      const progressText = await fitCell.locator(".jp-OutputArea").innerText();
      const epochs = progressText.match(/Epoch \d+\/\d+/g) ?? [];
      assert.ok(epochs.length >= 2, `progress shows epochs: ${progressText.slice(0, 200)}`);
      const bars = progressText.match(/^(\d+)\/(\d+) ━/gm) ?? [];
      assert.equal(bars.length, epochs.length, "one bar per epoch");
      for (const bar of bars) {
        const [done, total] = bar.split(" ")[0].split("/");
        assert.equal(done, total, `a finished bar, not an intermediate line: ${bar}`);
      }
      const outputs = await fitCell.locator(".jp-OutputArea-child").count();
      assert.ok(outputs <= 30, `fit's progress used ${outputs} outputs; expected updates in place`);

      // Keras' bar line stays one line when the window is narrower than it (it used to wrap after
      // val_accuracy): every epoch's output is two lines, the header and the bar.
      await page.setViewportSize({ width: 1000, height: 1000 });
      await fitCell.scrollIntoViewIfNeeded();
      const lineCounts = await fitCell.locator(".jp-OutputArea-output pre").evaluateAll((pres) =>
        pres.map((pre) => {
          const style = getComputedStyle(pre);
          const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
          // The text's unwrapped width, from a copy that may not wrap.
          const probe = pre.cloneNode(true) as HTMLElement;
          probe.style.cssText += ";position:absolute;visibility:hidden;white-space:pre;width:auto";
          pre.parentElement!.appendChild(probe);
          const natural = probe.scrollWidth;
          probe.remove();
          return {
            lines: Math.round(pre.getBoundingClientRect().height / lineHeight),
            wider: natural > pre.clientWidth,
          };
        }),
      );
      assert.ok(lineCounts.length >= 2, "progress outputs found");
      assert.ok(
        lineCounts.some((c) => c.wider),
        "the window is narrower than the bar line (so the check can fail)",
      );
      for (const c of lineCounts)
        assert.equal(c.lines, 2, `an epoch's output has ${c.lines} lines: ${JSON.stringify(lineCounts)}`);
    } catch (error) {
      await page.screenshot({ path: join(artefacts, "failure.png"), fullPage: true }).catch(() => {});
      throw error;
    } finally {
      await browser.close();
      await lab.stop();
    }
  },
);

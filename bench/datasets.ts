/**
 * How long loading a cached dataset into tensors takes (median of 3 runs each).
 *   npx tsx bench/datasets.ts [--runs 3]
 * Targets (issue 4): MNIST under 1 s, CIFAR-10 under 3 s. The cache must be filled first
 * (`npm run datasets`); a missing dataset is fetched once before timing.
 */
import { performance } from "node:perf_hooks";
import { tf } from "../src/tf";
import { cifar10, fashionMnist, mnist, type Dataset } from "../src/datasets/index";

const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;
const TARGET_SECONDS: Record<string, number> = { mnist: 1, fashion_mnist: 1, cifar10: 3 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
}

async function bench(dataset: Dataset<tf.Tensor, tf.Tensor>) {
  await dataset.download(); // not timed: only fills an empty cache
  const arrays: number[] = [];
  const tensors: number[] = [];
  const materialised: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    arrays.push(await time(async () => void (await dataset.loadArrays())));
    tensors.push(
      await time(async () => {
        const splits = await dataset.loadData();
        splits.flat().forEach((tensor) => tensor.dispose());
      }),
    );
    // Includes handing the data to TensorFlow's native side (the first op on each tensor).
    materialised.push(
      await time(async () => {
        const splits = await dataset.loadData();
        const sums = splits.flat().map((tensor) => tensor.sum());
        await Promise.all(sums.map((sum) => sum.data()));
        [...splits.flat(), ...sums].forEach((tensor) => tensor.dispose());
      }),
    );
  }
  return { name: dataset.name, arrays: median(arrays), tensors: median(tensors), materialised: median(materialised) };
}

async function main() {
  const rows = [];
  for (const dataset of [mnist, fashionMnist, cifar10] as Dataset<tf.Tensor, tf.Tensor>[])
    rows.push(await bench(dataset));
  const fmt = (seconds: number) => `${seconds.toFixed(3)} s`.padStart(9);
  console.log(`median of ${RUNS} runs, cached data, ${tf.getBackend()} backend`);
  console.log("dataset        loadArrays   loadData   loadData+first op   target");
  for (const row of rows) {
    const target = TARGET_SECONDS[row.name];
    const verdict = row.materialised < target ? "ok" : "SLOW";
    console.log(
      `${row.name.padEnd(14)} ${fmt(row.arrays)}  ${fmt(row.tensors)}  ${fmt(row.materialised)}          < ${target} s ${verdict}`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

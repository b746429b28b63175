/**
 * Pre-fetches datasets into the cache with progress:
 *   npm run datasets [mnist|fashion_mnist|cifar10 ...] [--verify]
 * With no name, all three. `--verify` also re-checks the sha256 of files already cached.
 */
// Not "./index": fetching needs no TensorFlow, and loading it costs a second.
import { DatasetUnavailableError, ensureDataset } from "./load";
import { datasetCacheDir } from "./paths";
import { SPECS, type DatasetName } from "./spec";

async function main(argv: string[]): Promise<number> {
  const verify = argv.includes("--verify");
  const names = argv
    .filter((arg) => !arg.startsWith("--"))
    .map((arg) => (arg === "fashionMnist" || arg === "fashion-mnist" ? "fashion_mnist" : arg));
  const unknown = names.filter((name) => !(name in SPECS));
  if (argv.includes("--help") || unknown.length) {
    console.error(`usage: npm run datasets [${Object.keys(SPECS).join("|")} ...] [--verify]`);
    return unknown.length ? 2 : 0;
  }
  const selected = (names.length ? names : Object.keys(SPECS)) as DatasetName[];
  let failed = 0;
  for (const name of selected) {
    const started = Date.now();
    try {
      const dir = await ensureDataset(name, { verify, progress: process.stderr.isTTY ? "terminal" : "auto" });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`${SPECS[name].title}: ready in ${dir} (${seconds} s${verify ? ", sha256 verified" : ""})`);
    } catch (error) {
      failed++;
      const message =
        error instanceof DatasetUnavailableError ? error.message : String((error as Error).stack ?? error);
      console.error(`${SPECS[name].title}: FAILED\n${message}\n(cache folder: ${datasetCacheDir(name)})`);
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));

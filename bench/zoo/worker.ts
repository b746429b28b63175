/** One zoo model with this library: `node --import tsx bench/zoo/worker.ts <id> <epochs>` → one ZOO_RESULT line. */
import { tf } from "../../src/tf";
import { callbacks } from "../../src/index";
import { ZOO, zooData } from "./models";

const [id, epochsArg] = process.argv.slice(2);
const m = ZOO.find((z) => z.id === id);
if (!m) throw new Error(`no zoo model ${id}`);
(async () => {
  const model = m.build();
  const { x, y } = zooData(m);
  const times: number[] = [];
  let t0 = 0;
  const timer = new callbacks.LambdaCallback({
    onEpochBegin: () => void (t0 = performance.now()),
    onEpochEnd: () => void times.push((performance.now() - t0) / 1000),
  });
  const before = tf.memory().numTensors;
  const h = await model.fit(x, y, {
    batchSize: m.batchSize,
    epochs: Number(epochsArg),
    verbose: 0,
    callbacks: [timer],
    ...(m.fitExtra?.ts ?? {}),
  });
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(
    `ZOO_RESULT ${JSON.stringify({ trainer: h.params.trainer, times, rssMB: rss, tensorsAfter: tf.memory().numTensors - before })}`,
  );
})();

/**
 * Jupyter's interrupt (SIGINT). While a training loop runs (fit / evaluate / predict), it asks the loop
 * to stop at the end of the current batch (src/callbacks/interrupt.ts): the model keeps its weights and
 * finished epochs, then the loop throws KeyboardInterrupt, which ends the cell — nothing after it runs.
 * Otherwise, or when asked again, the cell's await is abandoned with KeyboardInterrupt (tslab's way);
 * code running synchronously is stopped by vm's breakOnSigint.
 */
import { interruptToken } from "../../src/callbacks/interrupt";

export function installInterrupt(abandonCell: () => void): void {
  const token = interruptToken();
  process.on("SIGINT", () => {
    if (token.active > 0 && !token.requested) {
      token.requested = true;
      return;
    }
    token.requested = false;
    abandonCell();
  });
}

/**
 * The kernel exits when the process that started it goes away (a Jupyter server or client killed
 * without shutting its kernels down), instead of living on as an orphan. Jupyter sets JPY_PARENT_PID;
 * without it, a change of our parent (re-parented to init or a subreaper) tells the same.
 */
export function watchParent(onGone: () => void, everyMs = 1000): NodeJS.Timeout {
  const declared = Number(process.env.JPY_PARENT_PID);
  const startParent = process.ppid;
  const parent = Number.isInteger(declared) && declared > 1 ? declared : startParent;
  const alive = (): boolean => {
    if (process.ppid !== startParent) return false; // our parent died: we were re-parented
    try {
      process.kill(parent, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
    }
  };
  const timer = setInterval(() => {
    if (!alive()) {
      clearInterval(timer);
      onGone();
    }
  }, everyMs);
  timer.unref();
  return timer;
}

// Under tsx or vitest (Node 20), worker threads cannot load .ts files and `--import tsx` registers
// nothing off the main thread: this bootstrap registers tsx in the worker, then loads worker.ts.
// It is CommonJS on purpose: piscina loads the entry with require(), and Node 20's require() of an
// ES module with top-level await can abort the process. Compiled code (dist/) never uses it.
let handler;
module.exports = async function run(task) {
  handler ??= (async () => {
    const { register } = await import('tsx/esm/api');
    register();
    return (await import('./worker.ts')).default;
  })();
  return (await handler)(task);
};

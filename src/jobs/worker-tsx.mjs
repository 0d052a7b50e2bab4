// Under tsx or vitest (Node 20), worker threads cannot load .ts files and `--import tsx` registers
// nothing off the main thread: this bootstrap registers tsx in the worker, then loads worker.ts.
// Compiled code (dist/) never uses it.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');
export default worker.default;

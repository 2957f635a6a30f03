// Entry of a translator worker thread: registers tsx's loader in this thread, then runs the
// TypeScript worker (workers do not inherit the main thread's module hooks).
import { register } from 'tsx/esm/api';
register();
await import('./translate-worker.ts');

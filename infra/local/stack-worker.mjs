// Worker entry for stack-thread.ts: registers tsx's loader in this thread, then runs the
// TypeScript worker code (module hooks are per thread).
import { register } from 'tsx/esm/api';

register();
await import('./stack-thread.ts');

// S3 → Lambda is asynchronous: each event runs its listeners without the uploader waiting,
// a failure is logged (as Lambda would) and kept, and idle() waits for everything in flight.
import type { S3Event } from 'aws-lambda';

export type ObjectCreatedListener = (event: S3Event) => Promise<void> | void;

export class ObjectCreatedListeners {
  private readonly listeners: ObjectCreatedListener[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly failures: unknown[] = [];

  constructor(private readonly log = true) {}

  add(listener: ObjectCreatedListener): void {
    this.listeners.push(listener);
  }

  dispatch(event: S3Event): void {
    for (const listener of this.listeners) {
      const call: Promise<void> = Promise.resolve()
        .then(() => listener(event))
        .catch((err: unknown) => {
          this.failures.push(err);
          if (this.log) console.error('[local-stack] onObjectCreated listener failed:', err);
        })
        .finally(() => this.inflight.delete(call));
      this.inflight.add(call);
    }
  }

  /** Resolves when nothing is in flight; rejects (AggregateError) if a listener failed since the last call. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.all(this.inflight);
    if (this.failures.length) throw new AggregateError(this.failures.splice(0), 'onObjectCreated listener failed');
  }
}

// Runs translation (parse → JSONata mapping → validation, all CPU) on worker threads, so the
// thread that serves HTTP, Redis and PostgreSQL is not held up by mappings. Same interface as the
// in-thread translator; listing, testing and hot-reload watching stay on the main thread.
import { Worker } from 'node:worker_threads';
import {
  ConfigError, MappingError, ParseError, UnsupportedMessageError, ValidationError, type ClaimhubError, type ErrorClass, type Issue,
} from '../canonical-model/errors.js';
import { createTranslator, type Translation, type Translator, type TranslatorOptions } from './translate.js';

type WireTranslation = Omit<Translation, 'error'> & { error?: { class: ErrorClass; message: string; issues: Issue[] } };

const REVIVE: Partial<Record<ErrorClass, new (message: string, issues: Issue[]) => ClaimhubError>> = {
  parse: ParseError, unsupported: UnsupportedMessageError, mapping: MappingError, validation: ValidationError, config: ConfigError,
};

function revive(wire: WireTranslation): Translation {
  if (wire.ok || !wire.error) return wire as Translation;
  const Type = REVIVE[wire.error.class] ?? MappingError;
  return { ...wire, error: new Type(wire.error.message, wire.error.issues) } as Translation;
}

interface PoolThread {
  worker: Worker;
  pending: Map<number, { resolve: (t: Translation) => void; reject: (e: Error) => void }>;
}

export async function createTranslatorPool(options: TranslatorOptions & { threads: number }): Promise<Translator & { close(): Promise<void> }> {
  const local = await createTranslator(options);
  const mappingDirs = options.mappingDirs ?? [];
  // What the threads run above the files; a thread that starts later starts with it.
  let stored = options.stored ?? [];
  let nextId = 0;
  const threads: PoolThread[] = [];
  threads.push(...await Promise.all(Array.from({ length: options.threads }, () => new Promise<PoolThread>((resolve, reject) => {
    const worker = new Worker(new URL('./translate-worker-entry.mjs', import.meta.url), { workerData: { mappingDirs, stored } });
    const thread: PoolThread = { worker, pending: new Map() };
    worker.on('message', (message: { ready?: boolean; id?: number; result?: WireTranslation; crash?: string }) => {
      if (message.ready) return resolve(thread);
      const waiter = thread.pending.get(message.id!);
      thread.pending.delete(message.id!);
      if (message.result) waiter?.resolve(revive(message.result));
      else waiter?.reject(new Error(`translation failed: ${message.crash}`));
    });
    worker.once('error', (error) => {
      reject(error);
      // A dead thread leaves the pool; its messages fail over to the caller (intake stores them
      // untranslated and the ingest job retries them).
      threads.splice(threads.indexOf(thread), 1);
      for (const waiter of thread.pending.values()) waiter.reject(error);
      thread.pending.clear();
    });
  }))));

  return {
    translate(input) {
      if (threads.length === 0) return local.translate(input);
      // The least busy thread takes the message.
      const thread = threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        thread.worker.postMessage({ id, kind: 'translate', input });
      });
    },
    // Parsing and picking a mapping is cheap: done here, not worth a round trip to a thread.
    check: (input) => local.check(input),
    // Outbound mappings run where the delivery runs: one object at a time, no message to parse.
    mapOutbound: (name, object) => local.mapOutbound(name, object),
    outboundProblem: (name) => local.outboundProblem(name),
    testMapping: (name, raw, contentType, text) => local.testMapping(name, raw, contentType, text),
    mappings: () => local.mappings(),
    mappingText: (name) => local.mappingText(name),
    fileMapping: (name) => local.fileMapping(name),
    compileText: (text, label) => local.compileText(text, label),
    checkStored: (releases) => local.checkStored(releases),
    useStored(releases) {
      const errors = local.useStored(releases);
      // The threads apply the same layer (their own compile); a release this thread refused they
      // refuse too and keep what they ran, as this thread does.
      stored = releases;
      for (const thread of threads) thread.worker.postMessage({ kind: 'stored', stored });
      return errors;
    },
    watch(onError, onReload) {
      return local.watch(onError, (mappings) => {
        for (const thread of threads) thread.worker.postMessage({ kind: 'reload' });
        onReload?.(mappings);
      });
    },
    async close() {
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}

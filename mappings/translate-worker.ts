// Worker thread of the translator pool: owns its own compiled mappings and answers translate
// requests; results travel back as plain data (typed errors as their JSON form).
import { parentPort, workerData } from 'node:worker_threads';
import { createTranslator, type StoredMapping, type Translator } from './translate.js';

interface Request { id: number; kind: 'translate'; input: Parameters<Translator['translate']>[0] }
interface Reload { kind: 'reload' }
interface Stored { kind: 'stored'; stored: StoredMapping[] }

const port = parentPort!;
const { mappingDirs, stored: initial } = workerData as { mappingDirs: string[]; stored: StoredMapping[] };
let stored = initial;
let translator = await createTranslator({ mappingDirs });
translator.useStored(stored);

port.on('message', async (message: Request | Reload | Stored) => {
  if (message.kind === 'reload') {
    // A broken edit is reported by the main thread's watcher; keep the last good mappings here too.
    const reloaded = await createTranslator({ mappingDirs }).catch(() => undefined);
    if (reloaded) {
      reloaded.useStored(stored);
      translator = reloaded;
    }
    return;
  }
  if (message.kind === 'stored') {
    // Errors were reported by the main thread, which compiled the same texts.
    stored = message.stored;
    translator.useStored(stored);
    return;
  }
  try {
    const result = await translator.translate(message.input);
    port.postMessage({ id: message.id, result: result.ok ? result : { ...result, error: result.error.toJSON() } });
  } catch (error) {
    port.postMessage({ id: message.id, crash: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ ready: true });

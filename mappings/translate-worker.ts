// Worker thread of the translator pool: owns its own compiled mappings and answers translate
// requests; results travel back as plain data (typed errors as their JSON form).
import { parentPort, workerData } from 'node:worker_threads';
import { createTranslator, type Translator } from './translate.js';

interface Request { id: number; kind: 'translate'; input: Parameters<Translator['translate']>[0] }
interface Reload { kind: 'reload' }

const port = parentPort!;
const { mappingDirs } = workerData as { mappingDirs: string[] };
let translator = await createTranslator({ mappingDirs });

port.on('message', async (message: Request | Reload) => {
  if (message.kind === 'reload') {
    // A broken edit is reported by the main thread's watcher; keep the last good mappings here too.
    translator = await createTranslator({ mappingDirs }).catch(() => translator);
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

// The loaded mappings: every *.mapping.yaml under the shipped directory and an installation's
// directories (a later directory overrides an earlier one's mapping of the same name, and its
// choice for a format + message type), then the stored versions architects activated through the
// API, above all files. Picked by (format, messageType), listed with checksums, and hot-reloaded:
// a broken edit keeps the previous version of that file and is reported.

import { existsSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../canonical-model/errors.js';
import { compileMappingFile, compileMappingText, type CompiledMapping, type MappingInfo } from './mapping-file.js';

/** The mappings that ship with claimhub: this folder. */
export const SHIPPED_MAPPINGS_DIR = fileURLToPath(new URL('.', import.meta.url));

const MAPPING_FILE = /\.mapping\.ya?ml$/;
const RELOAD_DEBOUNCE_MS = 150;

interface Loaded {
  dir: number;
  mapping: CompiledMapping;
}

/** A stored mapping version to run (store/mapping-catalog.ts reads them; this module compiles them). */
export interface StoredMapping {
  name: string;
  version: string;
  text: string;
  checksum: string;
}

interface RegistryState {
  /** Every file that compiled, by absolute path (a broken edit falls back to its entry). */
  byPath: ReadonlyMap<string, Loaded>;
  /** Effective mapping per name, after overrides. */
  byName: ReadonlyMap<string, CompiledMapping>;
  /** `format|messageType` → the mapping that translates it. */
  selection: ReadonlyMap<string, CompiledMapping>;
}

export class MappingRegistry {
  private state: RegistryState;
  /** The active stored versions, compiled, by name: one layer above every directory. */
  private stored: ReadonlyMap<string, CompiledMapping> = new Map();

  private constructor(private readonly dirs: readonly string[], state: RegistryState) {
    this.state = state;
  }

  /** Loads every mapping under `dirs` (lowest precedence first); any broken file → ConfigError listing all. */
  static load(dirs: readonly string[]): MappingRegistry {
    const absolute = dirs.map((dir) => resolve(dir));
    const { loaded, errors } = compileAll(absolute, new Map());
    if (errors.length > 0) {
      throw new ConfigError(errors.map((error) => error.message).join('\n'), errors.flatMap((error) => error.issues));
    }
    return new MappingRegistry(absolute, buildState(loaded));
  }

  get(name: string): CompiledMapping | undefined {
    return this.state.byName.get(name);
  }

  select(format: string, messageType: string): CompiledMapping | undefined {
    return this.state.selection.get(`${format}|${messageType}`);
  }

  list(): MappingInfo[] {
    return [...this.state.byName.values()].map(({ name, version, description, source, target, checksum, path, origin }) =>
      ({ name, version, description, source, target, checksum, path, origin }));
  }

  /** The mapping of `name` the files alone would run (what a roll back to the file returns to). */
  fileMapping(name: string): CompiledMapping | undefined {
    let found: Loaded | undefined;
    for (const entry of this.state.byPath.values()) {
      if (entry.mapping.name === name && (!found || entry.dir >= found.dir)) found = entry;
    }
    return found?.mapping;
  }

  /**
   * Compiles a mapping version sent as text, as a stored version: its crosswalk paths start beside
   * the file of the same name, else in the shipped folder of its format. Throws a ConfigError.
   */
  compileText(text: string, label?: string): CompiledMapping {
    return compileMappingText(text, (name, format) => this.storedDir(name, format), label);
  }

  /**
   * Runs `releases` as the stored layer (replacing the previous one). A release that no longer
   * compiles keeps the version of it that ran before, if any; a layer whose mappings would clash
   * is not applied at all. Returns the errors (empty when all of it applies).
   */
  useStored(releases: readonly StoredMapping[]): ConfigError[] {
    const { layer, errors } = this.compileStored(releases);
    try {
      this.state = buildState(this.fileEntries(), layer);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return [...errors, error];
    }
    this.stored = layer;
    return errors;
  }

  /** What `useStored(releases)` would refuse, without applying it. */
  checkStored(releases: readonly StoredMapping[]): ConfigError[] {
    const { layer, errors } = this.compileStored(releases);
    if (errors.length > 0) return errors;
    try {
      buildState(this.fileEntries(), layer);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return [error];
    }
  }

  private compileStored(releases: readonly StoredMapping[]) {
    const layer = new Map<string, CompiledMapping>();
    const errors: ConfigError[] = [];
    for (const release of releases) {
      const running = this.stored.get(release.name);
      // Unchanged releases are not compiled again on every poll.
      if (running && running.version === release.version && running.checksum === release.checksum) {
        layer.set(release.name, running);
        continue;
      }
      try {
        layer.set(release.name, this.compileText(release.text, `store:${release.name}@${release.version}`));
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        errors.push(error);
        if (running) layer.set(release.name, running);
      }
    }
    return { layer, errors };
  }

  private fileEntries(): Loaded[] {
    return [...this.state.byPath.values()];
  }

  private storedDir(name: string, format: string): string {
    const file = this.fileMapping(name);
    if (file) return dirname(file.path);
    const shipped = join(SHIPPED_MAPPINGS_DIR, format);
    return existsSync(shipped) ? shipped : SHIPPED_MAPPINGS_DIR;
  }

  /**
   * Re-reads every directory. A file that no longer compiles keeps its previous version; a
   * deleted file drops out. Returns the errors (empty when everything loaded).
   */
  reload(): ConfigError[] {
    const { loaded, errors } = compileAll(this.dirs, this.state.byPath);
    try {
      this.state = buildState(loaded, this.stored);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return [...errors, error]; // e.g. two mappings now claim the same message type: keep all as it was
    }
    return errors;
  }

  /**
   * Watches the directories and reloads (debounced) on any change; each reload error goes to
   * `onError`, each completed reload to `onReload`. Returns a function that stops watching.
   */
  watch(onError: (error: ConfigError) => void, onReload?: (mappings: MappingInfo[]) => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        for (const error of this.reload()) onError(error);
        onReload?.(this.list());
      }, RELOAD_DEBOUNCE_MS);
    };
    const watchers: FSWatcher[] = this.dirs.map((dir) => {
      const watcher = watch(dir, { recursive: true, persistent: false }, schedule);
      watcher.on('error', (error) => onError(new ConfigError(`watching ${dir} failed: ${error.message}`)));
      return watcher;
    });
    return () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    };
  }
}

function compileAll(dirs: readonly string[], previous: ReadonlyMap<string, Loaded>) {
  const loaded: Loaded[] = [];
  const errors: ConfigError[] = [];
  dirs.forEach((dir, index) => {
    let files: string[];
    try {
      files = mappingFiles(dir);
    } catch {
      errors.push(new ConfigError(`mappings directory ${dir} cannot be read`, [{ path: dir, rule: 'directory', message: 'cannot be read' }]));
      return;
    }
    for (const file of files) {
      try {
        loaded.push({ dir: index, mapping: compileMappingFile(file) });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        errors.push(error);
        const kept = previous.get(file);
        if (kept) loaded.push(kept);
      }
    }
  });
  return { loaded, errors };
}

function mappingFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') files.push(...mappingFiles(path));
    else if (MAPPING_FILE.test(entry.name) && statSync(path).isFile()) files.push(path);
  }
  return files.sort();
}

/** Files (by directory, lowest first), then the stored layer above them all. */
function buildState(loaded: readonly Loaded[], stored: ReadonlyMap<string, CompiledMapping> = new Map()): RegistryState {
  const byPath = new Map(loaded.map((entry) => [entry.mapping.path, entry]));
  const storedDir = Math.max(-1, ...loaded.map((entry) => entry.dir)) + 1;
  loaded = [...loaded, ...[...stored.values()].map((mapping) => ({ dir: storedDir, mapping }))];
  const byName = new Map<string, CompiledMapping>();
  const selection = new Map<string, CompiledMapping>();
  const dirCount = Math.max(-1, ...loaded.map((entry) => entry.dir)) + 1;
  for (let dir = 0; dir < dirCount; dir++) {
    const inDir = loaded.filter((entry) => entry.dir === dir).map((entry) => entry.mapping);
    const names = new Map<string, CompiledMapping>();
    const claims = new Map<string, CompiledMapping>();
    for (const mapping of inDir) {
      const twin = names.get(mapping.name);
      if (twin) throw clash(`two mapping files are named ${mapping.name}: ${twin.displayPath} and ${mapping.displayPath}`, mapping);
      names.set(mapping.name, mapping);
      for (const messageType of mapping.source.messageTypes) {
        const key = `${mapping.source.format}|${messageType}`;
        const rival = claims.get(key);
        if (rival) {
          throw clash(`${rival.displayPath} (${rival.name}) and ${mapping.displayPath} (${mapping.name}) both translate ${mapping.source.format} ${messageType}; ${mapping.origin === 'store' ? 'only one active stored version may take a message type' : 'keep one, or move the override to a later directory'}`, mapping);
        }
        claims.set(key, mapping);
      }
    }
    // a later directory wins, by name and by message type
    for (const [name, mapping] of names) byName.set(name, mapping);
    for (const [key, mapping] of claims) selection.set(key, mapping);
  }
  // a mapping overridden by name is no longer selected for the types only its old file declared
  for (const [key, mapping] of selection) {
    if (byName.get(mapping.name) !== mapping) selection.delete(key);
  }
  return { byPath, byName, selection };
}

function clash(message: string, mapping: CompiledMapping): ConfigError {
  return new ConfigError(message, [{ path: mapping.displayPath, rule: 'mapping-clash', message }]);
}

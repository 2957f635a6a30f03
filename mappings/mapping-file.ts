// Loads one *.mapping.yaml: checks it against mapping-file.schema.json, reads its crosswalks and
// compiles its JSONata once: the bindings and the output become one block expression, so a
// translation costs one evaluate() per claim. Every refusal is a ConfigError naming file and key.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import jsonata from 'jsonata';
import { parseDocument } from 'yaml';
import { ConfigError, type Issue } from '../canonical-model/errors.js';
import { loadCrosswalk, type Crosswalk } from './crosswalk.js';
import { ENGINE_FUNCTIONS, mappingFunctions } from './functions.js';
import { formatBindingNames, formatFunctions, type FormatFunctions } from './sources/index.js';
import mappingFileSchema from './mapping-file.schema.json' with { type: 'json' };

export interface MappingInfo {
  name: string;
  /** semver */
  version: string;
  description?: string;
  source: { format: string; messageTypes: string[] };
  target: string;
  /** sha-256 (hex) of the mapping file's content. */
  checksum: string;
  /** Absolute path of the mapping file; `store:<name>@<version>` for a stored version. */
  path: string;
  /** A file under a mapping directory, or a version added through the API (store/mapping-catalog.ts). */
  origin: 'file' | 'store';
}

/** Where one key's expression sits inside the compiled block (for error positions). */
export interface ExpressionPart {
  key: string;
  start: number;
  text: string;
}

export interface CompiledMapping extends MappingInfo {
  /** `name@version`, as provenance records it. */
  ref: string;
  /** The path shown in messages: relative to the working directory when below it. */
  displayPath: string;
  /** The mapping file's text (YAML). */
  text: string;
  crosswalks: ReadonlyMap<string, Crosswalk>;
  /** $crosswalk, the money functions and the format's shared helpers, bound to this mapping's tables once. */
  functions: Readonly<Record<string, unknown>>;
  /** The format's helpers that refuse through an evaluation's $refuse. */
  evaluationFunctions: FormatFunctions['perEvaluation'];
  expression: jsonata.Expression;
  parts: readonly ExpressionPart[];
}

interface MappingFile {
  name: string;
  version: string;
  description?: string;
  source: { format: string; messageTypes: string[] };
  target: string;
  crosswalks?: Record<string, string>;
  bindings?: Record<string, string>;
  output: string;
}

const ajv = new Ajv2020({ allErrors: true, verbose: true });
const validateMappingFile = ajv.compile<MappingFile>(mappingFileSchema);

export function compileMappingFile(path: string): CompiledMapping {
  const absolute = resolve(path);
  const displayPath = showPath(absolute);
  const text = readFileSync(absolute, 'utf8');
  return compile(text, parseMappingYaml(text, displayPath), { path: absolute, displayPath, dir: dirname(absolute), origin: 'file' });
}

/**
 * A mapping version sent as text (stored through the API). It has no directory of its own:
 * `dirOf` says where its relative crosswalk paths start (beside the file of the same name, so
 * `../crosswalks/…` reads the same tables). Errors name it `<label>`, then `store:<name>@<version>`.
 */
export function compileMappingText(text: string, dirOf: (name: string, format: string) => string, label = 'the mapping'): CompiledMapping {
  const file = parseMappingYaml(text, label);
  const ref = `store:${file.name}@${file.version}`;
  return compile(text, file, { path: ref, displayPath: ref, dir: dirOf(file.name, file.source.format), origin: 'store' });
}

function compile(
  text: string,
  file: MappingFile,
  where: { path: string; displayPath: string; dir: string; origin: MappingInfo['origin'] },
): CompiledMapping {
  const { displayPath } = where;
  const crosswalks = loadCrosswalks(file, where.dir, displayPath);
  const { expression, parts } = compileExpressions(file, displayPath, crosswalks);
  const format = formatFunctions(file.source.format, crosswalks);
  return {
    name: file.name,
    version: file.version,
    description: file.description,
    source: file.source,
    target: file.target,
    checksum: mappingChecksum(text),
    path: where.path,
    origin: where.origin,
    ref: `${file.name}@${file.version}`,
    displayPath,
    text,
    crosswalks,
    functions: { ...format.shared, ...mappingFunctions(crosswalks) },
    evaluationFunctions: format.perEvaluation,
    expression,
    parts,
  };
}

/** sha-256 (hex) of a mapping file's text: what listings and provenance compare versions by. */
export function mappingChecksum(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function parseMappingYaml(text: string, displayPath: string): MappingFile {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    const [first] = document.errors;
    const where = first.linePos ? `line ${first.linePos[0].line} column ${first.linePos[0].col}` : 'YAML';
    throw configError(displayPath, where, 'yaml-syntax', `YAML syntax error: ${first.message.split('\n')[0]}`);
  }
  const value: unknown = document.toJS();
  if (!validateMappingFile(value)) {
    const issues = (validateMappingFile.errors ?? []).map((error) => {
      const key = error.instancePath.slice(1).replaceAll('/', '.') || '(root)';
      const params = error.params as Record<string, unknown>;
      const title = (error.parentSchema as { title?: string } | undefined)?.title;
      const message = error.keyword === 'required' ? `${String(params.missingProperty)} is required`
        : error.keyword === 'additionalProperties' ? `unknown key ${String(params.additionalProperty)}`
        : error.keyword === 'pattern' ? `must be ${title ?? `like ${String(params.pattern)}`}, got ${JSON.stringify(error.data)}`
        : error.keyword === 'enum' ? `must be one of ${(params.allowedValues as unknown[]).join(', ')}, got ${JSON.stringify(error.data)}`
        : `${error.message ?? error.keyword}${error.keyword === 'type' ? `, got ${JSON.stringify(error.data)}` : ''}`;
      return { path: `${displayPath}: ${key}`, rule: error.keyword, message, key };
    });
    const text = issues.map(({ key, message }) => `${key}: ${message}`).join('; ');
    throw new ConfigError(`${displayPath}: ${text}`, issues.map(({ path, rule, message }) => ({ path, rule, message })));
  }
  return value;
}

function loadCrosswalks(file: MappingFile, dir: string, displayPath: string): Map<string, Crosswalk> {
  const tables = new Map<string, Crosswalk>();
  for (const [name, relativePath] of Object.entries(file.crosswalks ?? {})) {
    const key = `crosswalks.${name}`;
    try {
      tables.set(name, loadCrosswalk(resolve(dir, relativePath), `${displayPath}: ${key}`));
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${relativePath} does not exist` : String(error);
      throw configError(displayPath, key, 'crosswalk', `cannot read ${relativePath}: ${reason}`);
    }
  }
  return tables;
}

/**
 * Compiles each key on its own (syntax errors then point into that key's text), checks names,
 * then compiles `( $a := …; $b := …; output )` once for evaluation. Each key goes in bare, not in
 * parentheses: a parenthesis is a block, a block is one more scope frame, and JSONata walks every
 * frame on each step, so the extra level cost ~15% of evaluation time. When a key does not parse
 * bare as one expression of the block, it goes in parentheses.
 */
function compileExpressions(file: MappingFile, displayPath: string, crosswalks: ReadonlyMap<string, Crosswalk>) {
  const reserved = new Set([...ENGINE_FUNCTIONS, ...formatBindingNames(file.source.format)]);
  const keyed = [
    ...Object.entries(file.bindings ?? {}).map(([name, text]) => ({ key: `bindings.${name}`, name, text })),
    { key: 'output', name: undefined, text: file.output },
  ];
  for (const { key, name, text } of keyed) {
    if (name && reserved.has(name)) {
      throw configError(displayPath, key, 'reserved-name', `$${name} is a built-in of this mapping's format and cannot be rebound`);
    }
    const ast = compileOne(text, key, displayPath).ast();
    checkCrosswalkNames(ast, crosswalks, key, displayPath);
  }
  const bare = assemble(keyed, false);
  const expression = compileOne(bare.block, 'output', displayPath);
  const shape = expression.ast();
  if (shape.type === 'block' && shape.expressions?.length === keyed.length) return { expression, parts: bare.parts };
  const wrapped = assemble(keyed, true);
  return { expression: compileOne(wrapped.block, 'output', displayPath), parts: wrapped.parts };
}

function assemble(keyed: { key: string; name?: string; text: string }[], wrap: boolean) {
  let block = '(\n';
  const parts: ExpressionPart[] = [];
  for (const { key, name, text } of keyed) {
    block += `${name ? `$${name} := ` : ''}${wrap ? '(\n' : ''}`;
    parts.push({ key, start: block.length, text });
    block += `${text}\n${wrap ? ')' : ''}${name ? ';' : ''}\n`;
  }
  return { block: `${block})`, parts };
}

function compileOne(text: string, key: string, displayPath: string): jsonata.Expression {
  try {
    return jsonata(text);
  } catch (error) {
    const { position, message } = error as { position?: number; message?: string };
    const where = position === undefined ? '' : ` at position ${position} (${lineColumn(text, position)})`;
    throw configError(displayPath, key, 'jsonata-syntax', `JSONata syntax error${where}: ${message ?? String(error)}`);
  }
}

/** `$crosswalk('name', …)` with a literal name must name a declared crosswalk: caught at load. */
function checkCrosswalkNames(node: unknown, crosswalks: ReadonlyMap<string, Crosswalk>, key: string, displayPath: string): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) checkCrosswalkNames(child, crosswalks, key, displayPath);
    return;
  }
  const expr = node as jsonata.ExprNode;
  if (expr.type === 'function' && expr.procedure?.type === 'variable' && expr.procedure.value === 'crosswalk') {
    const [first] = expr.arguments ?? [];
    if (first?.type === 'string' && !crosswalks.has(first.value)) {
      const declared = [...crosswalks.keys()].join(', ') || 'none';
      throw configError(displayPath, key, 'unknown-crosswalk',
        `$crosswalk('${first.value}', …) names a crosswalk the mapping does not declare (declared: ${declared})`);
    }
  }
  for (const child of Object.values(expr)) checkCrosswalkNames(child, crosswalks, key, displayPath);
}

/** `line L column C` of a character offset inside an expression's text. */
export function lineColumn(text: string, position: number): string {
  const before = text.slice(0, Math.max(0, position));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line} column ${column}`;
}

function showPath(absolute: string): string {
  const fromHere = relative(process.cwd(), absolute);
  return fromHere.startsWith('..') ? absolute : fromHere;
}

/** `<file>: <key>: <detail>`, with the issue at `<file>: <key>`. */
function configError(displayPath: string, key: string, rule: string, detail: string): ConfigError {
  const issue: Issue = { path: `${displayPath}: ${key}`, rule, message: detail };
  return new ConfigError(`${displayPath}: ${key}: ${detail}`, [issue]);
}

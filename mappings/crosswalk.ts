// Crosswalk tables: code → code maps a mapping declares and reads with $crosswalk(name, code).
// Two file forms: YAML (a flat `code: value` mapping) or CSV (a header row, then `code,value`).

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, type Issue } from '../canonical-model/errors.js';

export type Crosswalk = ReadonlyMap<string, string>;

/** Reads a crosswalk file; `label` names it in errors (`mapping file: crosswalks.claim-type`). */
export function loadCrosswalk(file: string, label: string): Crosswalk {
  const text = readFileSync(file, 'utf8');
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return fromCsv(text, label);
  if (extension === '.yaml' || extension === '.yml') return fromYaml(text, label);
  throw refused(label, 'format', `${file} must be a .yaml, .yml or .csv file`);
}

function fromYaml(text: string, label: string): Crosswalk {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    const [first] = document.errors;
    const where = first.linePos ? ` line ${first.linePos[0].line} column ${first.linePos[0].col}` : '';
    throw refused(label, 'yaml-syntax', `YAML syntax error at${where}: ${first.message.split('\n')[0]}`);
  }
  const value: unknown = document.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw refused(label, 'type', 'a YAML crosswalk must be a mapping of code: value');
  }
  const table = new Map<string, string>();
  for (const [code, mapped] of Object.entries(value)) {
    if (!isScalar(mapped)) throw refused(label, 'type', `the value of ${JSON.stringify(code)} must be a string or number`);
    table.set(code, String(mapped));
  }
  return table;
}

function fromCsv(text: string, label: string): Crosswalk {
  const rows = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const table = new Map<string, string>();
  // the first row is the header (names are for people: `fhir_code,canonical_type`)
  rows.slice(1).forEach((line, index) => {
    const cells = splitCsvLine(line);
    const row = index + 2;
    if (cells.length < 2 || cells[0] === '') throw refused(label, 'csv', `row ${row} needs two cells: code,value`);
    if (table.has(cells[0])) throw refused(label, 'duplicate', `row ${row} repeats the code ${JSON.stringify(cells[0])}`);
    table.set(cells[0], cells[1]);
  });
  return table;
}

/** One CSV line (RFC 4180 quoting: "a,b" and "" for a quote inside). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function refused(label: string, rule: string, message: string): ConfigError {
  const issue: Issue = { path: label, rule, message };
  return new ConfigError(`${label}: ${message}`, [issue]);
}

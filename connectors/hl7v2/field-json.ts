// One field of the JSON view (message-json.ts describes the shape): its repetitions, components
// and subcomponents as objects keyed C<n> / C<n>_<m>, values unescaped, the HL7 null "" as null.
import type { EncodingCharacters } from './encoding.js';
import { unescapeHl7 } from './escape.js';

export type RepetitionJson = Record<string, string | null>;

const componentKeys: string[] = [];
const subcomponentKeys: string[][] = [];

function componentKey(index: number): string {
  return (componentKeys[index] ??= `C${index + 1}`);
}

function subcomponentKey(component: number, index: number): string {
  const keys = (subcomponentKeys[component] ??= []);
  return (keys[index] ??= `C${component + 1}_${index + 1}`);
}

/** The JSON of field `number` of a segment's raw fields; undefined when the field is empty or absent. */
export function fieldJson(
  id: string,
  fields: readonly string[],
  number: number,
  encoding: EncodingCharacters,
): RepetitionJson[] | undefined {
  const text = fields[number];
  if (text === undefined || number < 1) return undefined;
  // MSH-1 and MSH-2 are the separators themselves, held as written.
  if (number <= 2 && (id === 'MSH' || id === 'FHS' || id === 'BHS')) return number === 1 || text !== '' ? [{ C1: text }] : undefined;
  return text === '' ? undefined : repetitionsJson(text, encoding);
}

function repetitionsJson(text: string, encoding: EncodingCharacters): RepetitionJson[] {
  const separator = encoding.repetition;
  let end = text.indexOf(separator);
  if (end === -1) return [repetitionJson(text, encoding)];
  const repetitions: RepetitionJson[] = [];
  let start = 0;
  while (end !== -1) {
    repetitions.push(repetitionJson(text.slice(start, end), encoding));
    start = end + 1;
    end = text.indexOf(separator, start);
  }
  repetitions.push(repetitionJson(text.slice(start), encoding));
  return repetitions;
}

function repetitionJson(text: string, encoding: EncodingCharacters): RepetitionJson {
  const json: RepetitionJson = {};
  const separator = encoding.component;
  let start = 0;
  for (let index = 0; start <= text.length; index++) {
    let end = text.indexOf(separator, start);
    if (end === -1) end = text.length;
    if (end > start) addComponent(json, index, text.slice(start, end), encoding);
    start = end + 1;
  }
  return json;
}

function addComponent(json: RepetitionJson, index: number, text: string, encoding: EncodingCharacters): void {
  const separator = encoding.subcomponent;
  let end = text.indexOf(separator);
  if (end === -1) {
    json[componentKey(index)] = primitive(text, encoding);
    return;
  }
  if (end > 0) json[componentKey(index)] = primitive(text.slice(0, end), encoding);
  let start = 0;
  for (let sub = 0; start <= text.length; sub++) {
    if (end > start) json[subcomponentKey(index, sub)] = primitive(text.slice(start, end), encoding);
    start = end + 1;
    end = text.indexOf(separator, start);
    if (end === -1) end = text.length;
  }
}

/** A leaf value: the HL7 null `""` becomes null, anything else is unescaped. */
function primitive(text: string, encoding: EncodingCharacters): string | null {
  return text === '""' ? null : unescapeHl7(text, encoding);
}

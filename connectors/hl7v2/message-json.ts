// The JSON view of an HL7 v2 message that JSONata mappings read. Every level is an object keyed
// by name or an array of objects, never an array of arrays: JSONata flattens nested arrays and
// unwraps one-element ones, so repetitions of components kept as arrays would read the same as a
// single repetition the moment a field repeats once.
//
// Shape:
//   {
//     "header": MessageHeader,            // typed MSH values (header.ts): controlId, messageType…
//     "MSH": [SegmentJson], "PID": [SegmentJson], "FT1": [SegmentJson, …], "ZPD": [SegmentJson]…
//   }
//   - each segment id keys every occurrence of that segment, in order (Z-segments too);
//   SegmentJson = { "position": 3, "PID_1": [Rep], "PID_3": [Rep, Rep], … }
//   - `position`: the segment's place in the message from 1 (MSH is 1), to relate segments of one
//     group (the PR1s after an FT1) across ids;
//   - each non-empty field under `<id>_<number>` (`PID_3` is PID-3): underscore, because JSONata
//     reads `PID.PID_3` as a plain path where `PID-3` or `PID.3` need backquotes;
//   - a field is always an array of repetitions, even when it does not repeat; an empty
//     repetition between `~`s stays as {} so positions hold;
//   Rep = { "C1": "PATID1234", "C2": "5", "C4": "test1", "C4_1": "test1", "C4_2": "2.16.1", "C4_3": "HCD", "C5": "MR" }
//   - `C<n>` is component n, always a string: when the component has subcomponents it is the first
//     one (the standard's rule for reading a composite as a primitive) and `C<n>_<m>` holds each
//     non-empty subcomponent m; a field without component separators is just `C1`;
//   - empty components and subcomponents are left out (`PID.PID_2` is undefined), while the HL7
//     null `""` (delete the value at the receiver) is JSON null, so `$exists()` tells them apart;
//   - every value is unescaped (escape.ts). MSH_1 and MSH_2 hold the separators as written.
// Read `PID.PID_3[C5 = 'MR'].C1`, `FT1.FT1_7.C1`, `FT1.FT1_19.C1` (every diagnosis of every FT1).
import type { EncodingCharacters } from './encoding.js';
import { unescapeHl7 } from './escape.js';
import type { MessageHeader } from './header.js';
import type { Hl7Message } from './parse.js';
import type { Hl7Segment } from './segments.js';

export type RepetitionJson = Record<string, string | null>;

export interface SegmentJson {
  position: number;
  [designator: string]: RepetitionJson[] | number;
}

export interface MessageJson {
  header: MessageHeader;
  [segmentId: string]: SegmentJson[] | MessageHeader;
}

/** Field designators by segment id (`PID` → PID_0, PID_1…), made once per id. */
const designators = new Map<string, string[]>();
const componentKeys: string[] = [];
const subcomponentKeys: string[][] = [];

function designatorsOf(id: string, count: number): string[] {
  let names = designators.get(id);
  if (names === undefined || names.length < count) {
    names = Array.from({ length: Math.max(count, 32) }, (_, i) => `${id}_${i}`);
    designators.set(id, names);
  }
  return names;
}

function componentKey(index: number): string {
  return (componentKeys[index] ??= `C${index + 1}`);
}

function subcomponentKey(component: number, index: number): string {
  const keys = (subcomponentKeys[component] ??= []);
  return (keys[index] ??= `C${component + 1}_${index + 1}`);
}

export function messageJson(message: Hl7Message): MessageJson {
  const json: MessageJson = { header: message.header };
  const segments = message.segments;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    ((json[segment.id] ??= []) as SegmentJson[]).push(segmentJson(segment, i + 1, message.encoding));
  }
  return json;
}

export function segmentJson(segment: Hl7Segment, position: number, encoding: EncodingCharacters): SegmentJson {
  const fields = segment.fields;
  const names = designatorsOf(segment.id, fields.length);
  const json: SegmentJson = { position };
  let first = 1;
  if (segment.id === 'MSH' || segment.id === 'FHS' || segment.id === 'BHS') {
    json[names[1]] = [{ C1: fields[1] }];
    if (fields[2] !== '') json[names[2]] = [{ C1: fields[2] }];
    first = 3;
  }
  for (let f = first; f < fields.length; f++) {
    const text = fields[f];
    if (text !== '') json[names[f]] = fieldJson(text, encoding);
  }
  return json;
}

function fieldJson(text: string, encoding: EncodingCharacters): RepetitionJson[] {
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

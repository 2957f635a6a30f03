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
// Segments build a field when it is first read (segment-view.ts), so the view costs what is read.
import type { MessageHeader } from './header.js';
import type { Hl7Message } from './parse.js';
import { segmentView, type SegmentJson } from './segment-view.js';

export type { RepetitionJson } from './field-json.js';
export type { SegmentJson } from './segment-view.js';

export interface MessageJson {
  header: MessageHeader;
  [segmentId: string]: SegmentJson[] | MessageHeader;
}

export function messageJson(message: Hl7Message): MessageJson {
  const json: MessageJson = { header: message.header };
  const segments = message.segments;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    ((json[segment.id] ??= []) as SegmentJson[]).push(segmentView(segment, i + 1, message.encoding));
  }
  return json;
}

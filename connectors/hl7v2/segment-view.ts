// One segment of the JSON view (message-json.ts describes the shape) as a Proxy that builds a
// field's repetitions the first time the field is read. A DFT mapping reads a few dozen of the
// hundreds of fields a message carries, so building them all up front was most of the work.
// To its readers it is plain data: property reads and `in` see the fields; Object.keys,
// JSON.stringify, spread, JSONata's wildcards and deep equality list `position` and the non-empty
// fields in field order; util.inspect shows every field. The first write (set, define, delete,
// freeze) copies every field onto the object, which from then on is an ordinary object. Unlike
// plain data it cannot be structured-cloned (postMessage): send `JSON.stringify` of it instead.
import type { EncodingCharacters } from './encoding.js';
import { fieldJson, type RepetitionJson } from './field-json.js';
import type { Hl7Segment } from './segments.js';

export interface SegmentJson {
  position: number;
  [designator: string]: RepetitionJson[] | number;
}

/** util.inspect looks for this on the Proxy's target: it gets a plain copy instead. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const UNDERSCORE = 95;

/** Field designators by segment id (`PID` → PID_0, PID_1…), made once per id. */
const designators = new Map<string, string[]>();

function designatorsOf(id: string, count: number): string[] {
  let names = designators.get(id);
  if (names === undefined || names.length < count) {
    names = Array.from({ length: Math.max(count, 32) }, (_, i) => `${id}_${i}`);
    designators.set(id, names);
  }
  return names;
}

function plainCopy(this: SegmentJson): SegmentJson {
  return { ...this };
}

export function segmentView(segment: Hl7Segment, position: number, encoding: EncodingCharacters): SegmentJson {
  const target = { position, [INSPECT]: plainCopy } as unknown as SegmentJson;
  return new Proxy(target, new FieldsOnRead(segment, encoding));
}

class FieldsOnRead implements ProxyHandler<SegmentJson> {
  /** Fields built so far, by number (empty fields are not kept: they cost nothing to look at again). */
  private readonly built: RepetitionJson[][] = [];
  /** Set by the first write: the target then holds every field and answers alone. */
  private plain = false;

  constructor(
    private readonly segment: Hl7Segment,
    private readonly encoding: EncodingCharacters,
  ) {}

  get(target: SegmentJson, key: string | symbol): unknown {
    const number = this.fieldNumber(key);
    return number === 0 ? Reflect.get(target, key) : this.field(number);
  }

  has(target: SegmentJson, key: string | symbol): boolean {
    const number = this.fieldNumber(key);
    if (number !== 0) return this.field(number) !== undefined;
    return key !== INSPECT && Reflect.has(target, key);
  }

  ownKeys(target: SegmentJson): (string | symbol)[] {
    if (this.plain) return Reflect.ownKeys(target);
    const keys = ['position'];
    const count = this.segment.fields.length;
    const names = designatorsOf(this.segment.id, count);
    for (let number = 1; number < count; number++) if (this.field(number) !== undefined) keys.push(names[number]);
    return keys;
  }

  getOwnPropertyDescriptor(target: SegmentJson, key: string | symbol): PropertyDescriptor | undefined {
    const number = this.fieldNumber(key);
    if (number === 0) return key === INSPECT ? undefined : Reflect.getOwnPropertyDescriptor(target, key);
    const value = this.field(number);
    return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
  }

  set(target: SegmentJson, key: string | symbol, value: unknown): boolean {
    this.becomePlain(target);
    return Reflect.set(target, key, value);
  }

  defineProperty(target: SegmentJson, key: string | symbol, descriptor: PropertyDescriptor): boolean {
    this.becomePlain(target);
    return Reflect.defineProperty(target, key, descriptor);
  }

  deleteProperty(target: SegmentJson, key: string | symbol): boolean {
    this.becomePlain(target);
    return Reflect.deleteProperty(target, key);
  }

  preventExtensions(target: SegmentJson): boolean {
    this.becomePlain(target);
    return Reflect.preventExtensions(target);
  }

  /** Copies every field onto the target (in field order, after `position`) and stops building. */
  private becomePlain(target: SegmentJson): void {
    if (this.plain) return;
    const keys = this.ownKeys(target);
    delete (target as unknown as Record<symbol, unknown>)[INSPECT];
    for (let i = 1; i < keys.length; i++) {
      const key = keys[i] as string;
      target[key] = this.field(this.fieldNumber(key))!;
    }
    this.plain = true;
  }

  /** n for this segment's `<id>_<n>` (n ≥ 1, no leading zero); 0 for any other key, or once plain. */
  private fieldNumber(key: string | symbol): number {
    if (this.plain || typeof key !== 'string' || key.length < 5 || key.charCodeAt(3) !== UNDERSCORE) return 0;
    const id = this.segment.id;
    if (key.charCodeAt(0) !== id.charCodeAt(0) || key.charCodeAt(1) !== id.charCodeAt(1) || key.charCodeAt(2) !== id.charCodeAt(2)) {
      return 0;
    }
    let number = 0;
    for (let i = 4; i < key.length; i++) {
      const digit = key.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9 || (number === 0 && digit === 0)) return 0;
      number = number * 10 + digit;
    }
    return number;
  }

  private field(number: number): RepetitionJson[] | undefined {
    const built = this.built[number];
    if (built !== undefined) return built;
    const json = fieldJson(this.segment.id, this.segment.fields, number, this.encoding);
    if (json !== undefined) this.built[number] = json;
    return json;
  }
}

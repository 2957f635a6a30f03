// The MSH values every channel needs before any mapping runs: who sent it to whom, what it is
// (MSH-9), its control id (MSH-10, the key of ACK MSA-2 and duplicate detection), processing id
// and version. Values are unescaped; an absent component is "".
import type { EncodingCharacters } from './encoding.js';
import { unescapeHl7 } from './escape.js';
import type { Hl7Segment } from './segments.js';

/** An HD (hierarchic designator): MSH-3 to MSH-6. */
export interface HierarchicDesignator {
  namespaceId: string;
  universalId: string;
  universalIdType: string;
}

export interface MessageHeader {
  sendingApplication: HierarchicDesignator;
  sendingFacility: HierarchicDesignator;
  receivingApplication: HierarchicDesignator;
  receivingFacility: HierarchicDesignator;
  /** MSH-7.1, as written (`202108181126+0215`). */
  dateTime: string;
  /** MSH-9.1 (`DFT`), MSH-9.2 (`P03`), MSH-9.3 (`DFT_P03`; "" in v2.3 messages, which omit it). */
  messageType: string;
  triggerEvent: string;
  messageStructure: string;
  /** MSH-10. */
  controlId: string;
  /** MSH-11.1: P production, T training, D debugging. */
  processingId: string;
  /** MSH-12.1 (`2.5.1`). */
  version: string;
}

export function readMessageHeader(msh: Hl7Segment, encoding: EncodingCharacters): MessageHeader {
  const components = (field: number): string[] => (msh.fields[field] ?? '').split(encoding.component);
  const first = (field: number, component = 0): string => unescapeHl7(components(field)[component] ?? '', encoding);
  const designator = (field: number): HierarchicDesignator => {
    const [namespaceId = '', universalId = '', universalIdType = ''] = components(field).map((c) => unescapeHl7(c, encoding));
    return { namespaceId, universalId, universalIdType };
  };
  return {
    sendingApplication: designator(3),
    sendingFacility: designator(4),
    receivingApplication: designator(5),
    receivingFacility: designator(6),
    dateTime: first(7),
    messageType: first(9, 0),
    triggerEvent: first(9, 1),
    messageStructure: first(9, 2),
    controlId: first(10),
    processingId: first(11),
    version: first(12),
  };
}

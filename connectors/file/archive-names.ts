// Names under which a taken file and the hub's answers to it are archived. They derive from the
// file (its modification time and name) and the message it became, so a file taken again after a
// crash (the intake answers with the first message) lands on the same names instead of new ones,
// while a partner's later resend of the same bytes (a new file) gets names of its own.
import type { FolderEntry } from './stability.js';

/** `20261124T101500Z_<message id>_<original name>`: sorted by arrival, traceable to the message. */
export function archiveName(entry: FolderEntry, messageId: string): string {
  const stamp = new Date(Math.floor(entry.mtimeMs / 1000) * 1000).toISOString().replace(/[-:]|\.000/g, '');
  return `${stamp}_${messageId}_${entry.name}`;
}

/**
 * The acknowledgement's file: `<archived>.999` for an X12 reply carrying a 999 (a TA1 may precede
 * it in the same interchange), `<archived>.ta1` for a TA1 alone, `<archived>.ack` otherwise.
 */
export function acknowledgementName(archived: string, ack: { contentType: string; text: string }): string {
  if (ack.contentType !== 'application/edi-x12') return `${archived}.ack`;
  const separator = ack.text.trimStart()[3]; // ISA04's element separator
  return `${archived}.${ack.text.includes(`ST${separator}999${separator}`) ? '999' : 'ta1'}`;
}

/** The error of a refused file, next to it: `<archived>.error.json`. */
export function errorName(archived: string): string {
  return `${archived}.error.json`;
}

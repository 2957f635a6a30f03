import assert from 'node:assert/strict';
import type { EncodingCharacters } from '../../../connectors/hl7v2/encoding.js';
import { unescapeHl7 } from '../../../connectors/hl7v2/escape.js';

const STANDARD: EncodingCharacters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
  truncation: null,
};
const WITH_TRUNCATION: EncodingCharacters = { ...STANDARD, truncation: '#' };
/** Unusual separators, to see the sequences stand for the declared characters, not the usual ones. */
const UNUSUAL: EncodingCharacters = { field: '*', component: ':', repetition: '!', escape: '?', subcomponent: '%', truncation: null };

describe('HL7 escape sequences', () => {
  it('gives back the same string when there is no escape character', () => {
    const plain = 'Smith & Sons';
    assert.equal(unescapeHl7(plain, STANDARD), plain);
  });

  it('turns \\F\\ into the field separator', () => assert.equal(unescapeHl7('A\\F\\B', STANDARD), 'A|B'));
  it('turns \\S\\ into the component separator', () => assert.equal(unescapeHl7('A\\S\\B', STANDARD), 'A^B'));
  it('turns \\T\\ into the subcomponent separator', () => assert.equal(unescapeHl7('Smith \\T\\ Sons', STANDARD), 'Smith & Sons'));
  it('turns \\R\\ into the repetition separator', () => assert.equal(unescapeHl7('A\\R\\B', STANDARD), 'A~B'));
  it('turns \\E\\ into the escape character', () => assert.equal(unescapeHl7('C:\\E\\temp', STANDARD), 'C:\\temp'));

  it('turns \\Xhh..\\ into the bytes it spells, read as UTF-8', () => {
    assert.equal(unescapeHl7('\\X41\\\\X4243\\', STANDARD), 'ABC');
    assert.equal(unescapeHl7('Caf\\XC3A9\\', STANDARD), 'Café');
  });

  it('turns \\P\\ into the truncation character when MSH-2 declares one, and keeps it otherwise', () => {
    assert.equal(unescapeHl7('50\\P\\ off', WITH_TRUNCATION), '50# off');
    assert.equal(unescapeHl7('50\\P\\ off', STANDARD), '50\\P\\ off');
  });

  it('drops the highlighting sequences \\H\\ and \\N\\', () => {
    assert.equal(unescapeHl7('\\H\\URGENT\\N\\ call back', STANDARD), 'URGENT call back');
  });

  it('keeps unknown sequences (formatting, character sets) and an unclosed escape as written', () => {
    assert.equal(unescapeHl7('line\\.br\\next', STANDARD), 'line\\.br\\next');
    assert.equal(unescapeHl7('\\C2842\\kanji', STANDARD), '\\C2842\\kanji');
    assert.equal(unescapeHl7('\\XZZ\\', STANDARD), '\\XZZ\\');
    assert.equal(unescapeHl7('trailing \\F', STANDARD), 'trailing \\F');
  });

  it('decodes several sequences in one value, next to each other and between text', () => {
    assert.equal(unescapeHl7('\\F\\\\S\\x\\T\\\\R\\\\E\\', STANDARD), '|^x&~\\');
  });

  it('uses the separators the message declares', () => {
    assert.equal(unescapeHl7('a?F?b?S?c?T?d?R?e?E?f', UNUSUAL), 'a*b:c%d!e?f');
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ParseError } from '../../../canonical-model/errors.js';
import { parseJsonText } from '../../../connectors/fhir/json-text.js';

const FIXTURES = new URL('../../fixtures/fhir/', import.meta.url);

function syntaxErrorOf(text: string): ParseError {
  try {
    parseJsonText(text);
  } catch (error) {
    assert.ok(error instanceof ParseError, `expected a ParseError, got ${String(error)}`);
    return error;
  }
  assert.fail('the text parsed');
}

describe('parseJsonText', () => {
  it('names line and column of a missing comma in a multi-line document', () => {
    const error = syntaxErrorOf(readFileSync(new URL('malformed-claim.json', FIXTURES), 'utf8'));
    assert.equal(error.issues[0].path, 'line 5 column 3');
    assert.equal(error.issues[0].rule, 'json-syntax');
    assert.match(error.issues[0].message, /expected ',' or '}'/);
  });

  it('puts a truncated document at its end (Node says only "Unexpected end" or a position)', () => {
    const error = syntaxErrorOf('{"resourceType": "Claim", ');
    assert.equal(error.issues[0].path, 'line 1 column 27');
    assert.match(error.message, /the end of the input/);
    assert.equal(syntaxErrorOf('').issues[0].path, 'line 1 column 1');
  });

  it('locates errors for which Node 20 gives no position at all', () => {
    // JSON.parse says only: Unexpected token '}', "{"a": }" is not valid JSON
    assert.equal(syntaxErrorOf('{"a": }').issues[0].path, 'line 1 column 7');
    assert.equal(syntaxErrorOf('{\n  "a": [1, 2,]\n}').issues[0].path, 'line 2 column 14');
    assert.equal(syntaxErrorOf('{\n"a": tru\n}').issues[0].path, 'line 2 column 9');
  });

  it('reads a document that starts with a byte-order mark', () => {
    assert.deepEqual(parseJsonText('\uFEFF{"resourceType":"Claim"}'), { resourceType: 'Claim' });
  });

  it('survives a hostile nesting depth with an answer, not a stack overflow', () => {
    const error = syntaxErrorOf('['.repeat(200_000));
    assert.equal(error.issues[0].path, 'line 1 column 200001');
  });
});

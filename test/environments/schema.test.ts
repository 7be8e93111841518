// The Environment schema as editors get it: schemas/environment.schema.json on its own, and inside the
// combined schema chosen by `kind`, accepting the example environments and refusing what the
// loader refuses; the regeneration test (test/desired/schemas.test.ts) keeps both files generated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const schema = (file: string) => JSON.parse(readFileSync(new URL(`../../schemas/${file}`, import.meta.url), 'utf8'));
const example = (env: string) => parse(readFileSync(new URL(`../../examples/environments/${env}/environment.yaml`, import.meta.url), 'utf8'));
const compile = (file: string) => new Ajv({ allErrors: true, strict: true }).addVocabulary(['x-create-only', 'x-update-via', 'patternErrorMessage']).compile(schema(file));

test('the Environment schema and the combined one accept the example environments and refuse a bad target', () => {
  for (const file of ['environment.schema.json', 'manifest.schema.json']) {
    const validate = compile(file);
    for (const env of ['staging', 'production']) assert.equal(validate(example(env)), true, `${file}: ${env}: ${JSON.stringify(validate.errors)}`);
    const bad = example('staging');
    bad.spec.target.region = 'Europe';
    assert.equal(validate(bad), false, `${file}: a region that is none`);
    const typo = example('staging');
    typo.spec.inculde = typo.spec.include;
    assert.equal(validate(typo), false, `${file}: an unknown field`);
  }
  assert.ok(schema('manifest.schema.json').properties.kind.enum.includes('Environment'));
});

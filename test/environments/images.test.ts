// Image overrides on image strings, the way Kustomize's images transformer rewrites them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overrideImage } from '../../src/environments/images.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test('overrideImage: a new tag, a digest, a new repository, a registry port', () => {
  const cases: Array<[string, Parameters<typeof overrideImage>[1], string]> = [
    ['nginx:1.27', { newTag: '1.28' }, 'nginx:1.28'],
    ['nginx', { newTag: '1.28' }, 'nginx:1.28'],
    ['nginx:1.27', { digest: DIGEST }, `nginx@${DIGEST}`],
    [`nginx:1.27@${DIGEST}`, { newTag: '1.28' }, 'nginx:1.28'],
    [`nginx@${DIGEST}`, { newName: 'public.ecr.aws/nginx/nginx' }, `public.ecr.aws/nginx/nginx@${DIGEST}`],
    ['registry.local:5000/team/app:v1', { newTag: 'v2' }, 'registry.local:5000/team/app:v2'],
    ['registry.local:5000/team/app', { newTag: 'v2' }, 'registry.local:5000/team/app:v2'],
    ['registry.local:5000/team/app:v1', { newName: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app' }, '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1'],
    ['app:v1', { newName: 'other', newTag: 'v3' }, 'other:v3'],
  ];
  for (const [image, change, expected] of cases) assert.equal(overrideImage(image, change), expected, `${image} ${JSON.stringify(change)}`);
});

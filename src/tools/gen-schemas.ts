// `npm run schemas`: regenerates schemas/*.schema.json from the AWS Smithy models vendored in
// vendor/aws-models (AWS_MODELS_DIR overrides, to try a newer snapshot); the output is committed, so
// nothing at run time needs the models. A test regenerates and compares byte for byte.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSchemaFiles, loadAwsModels } from './schema-kinds.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The models folder: AWS_MODELS_DIR, else the repository's vendor/aws-models. */
export function defaultModelsDir(): string {
  return process.env.AWS_MODELS_DIR ?? join(REPO_ROOT, 'vendor', 'aws-models');
}

/** Writes every schema file into outDir (created when missing) and returns the paths written. */
export function generateSchemas(modelsDir: string, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of buildSchemaFiles(loadAwsModels(modelsDir))) {
    const path = join(outDir, file);
    writeFileSync(path, text);
    written.push(path);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const path of generateSchemas(defaultModelsDir(), join(REPO_ROOT, 'schemas'))) console.log(`wrote ${path}`);
}

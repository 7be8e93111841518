// RegisterTaskDefinition, the one ECS write that is not idempotent: each call registers a new
// revision, so a request repeated after a lost answer would register the same content twice.
import { RegisterTaskDefinitionCommand, type ECSClient, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { backoffDelay } from '../../core/backoff.js';
import { RetryableError } from '../../core/errors.js';
import type { JsonObject } from '../../core/types.js';
import { outcomeUnknown, toOperatorError } from '../errors.js';
import { sdkInput } from '../sdk-input.js';
import type { TaskDefinitionCache, TaskDefinitionDescription } from './task-definition-cache.js';

/** Attempts of one registration. */
const REGISTER_ATTEMPTS = 3;

/**
 * Registers `input` once, through `once` (an ECS client without the SDK's retries). Throttling and
 * refused input say it did not happen: throttling is sent again after a pause, the rest fails as
 * usual. After an outcome that is unknown (no answer, a 5xx), the family's newest revisions are
 * read first, and one carrying `identity` (a tag of `input.tags` naming its content) is the first
 * attempt's revision; only when none does is it sent again. Without `identity` an unknown outcome
 * is not sent again. Given up (or stopping), it is settled by the next pass: its observe reads the
 * family first and reuses any ACTIVE revision equal to the manifest.
 */
export async function registerOnce(
  once: ECSClient, cache: TaskDefinitionCache, input: JsonObject, identity?: { key: string; value: string },
): Promise<TaskDefinitionDescription> {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await once.send(new RegisterTaskDefinitionCommand(sdkInput<RegisterTaskDefinitionCommandInput>(input)));
      if (!out.taskDefinition) throw new Error('ECS returned no task definition');
      return cache.registered({ taskDefinition: out.taskDefinition, tags: out.tags ?? [] });
    } catch (err) {
      const unknown = outcomeUnknown(err);
      const error = toOperatorError(err, 'RegisterTaskDefinition');
      const again = error instanceof RetryableError && attempt < REGISTER_ATTEMPTS
        && (!unknown || identity !== undefined) && !(err as Error).name?.startsWith('Abort');
      if (!again) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, 250, 2_000)));
      if (unknown) {
        const found = await cache.findTagged(String(input.family), identity!.key, identity!.value);
        if (found) return found;
      }
    }
  }
}
